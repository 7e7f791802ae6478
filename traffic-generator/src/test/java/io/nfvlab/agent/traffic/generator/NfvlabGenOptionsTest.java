package io.nfvlab.agent.traffic.generator;

import io.nfvlab.agent.process.CommandRunner;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The built nfvlab-gen refuses bad options before DPDK starts: exit code 2 and a message naming the option. */
class NfvlabGenOptionsTest {
    private static final List<String> GOOD = List.of("--socket", "/tmp/nvgen-opt.sock", "--src-mac", "02:00:00:00:00:01",
            "--dst-mac", "02:00:00:00:00:02", "--frame-size", "64");

    private static CommandRunner.Result run(List<String> args) {
        List<String> argv = new ArrayList<>();
        argv.add(DpdkGenerator.locate().orElseThrow(() -> new AssertionError("the build made no nfvlab-gen")).toString());
        argv.addAll(args);
        return CommandRunner.run(argv, Duration.ofSeconds(10));
    }

    private static List<String> good(String... more) {
        List<String> args = new ArrayList<>(GOOD);
        args.addAll(List.of(more));
        return args;
    }

    private static void refused(List<String> args, String message) {
        CommandRunner.Result r = run(args);
        assertThat(r.exitCode()).as(r.describe()).isEqualTo(2);
        assertThat(r.stderr()).startsWith("nfvlab-gen: ").contains(message);
        assertThat(r.stdout()).as("no result line for a refused run").isEmpty();
    }

    @Test
    void unknownRepeatedAndValuelessOptionsAreRefused() {
        refused(good("--rate", "1000", "--duration-ms", "10", "--bogus", "1"), "unknown option \"--bogus\"");
        refused(good("--rate", "1000", "--duration-ms", "10", "--rate", "5"), "--rate given twice");
        refused(good("--rate"), "--rate needs a value");
        refused(good("stray"), "unexpected argument \"stray\"");
        refused(List.of(), "--socket is required");
    }

    @Test
    void malformedValuesAreRefusedNamingTheOption() {
        refused(good("--rate", "-1", "--duration-ms", "10"), "--rate: \"-1\"");
        refused(good("--rate", "0", "--duration-ms", "10"), "--rate: \"0\"");
        refused(good("--rate", "1e9", "--duration-ms", "10"), "--rate: \"1e9\"");
        refused(good("--rate", "nan", "--duration-ms", "10"), "--rate: \"nan\"");
        refused(good("--rate", "1000", "--duration-ms", "0x10"), "--duration-ms: \"0x10\"");
        refused(good("--rate", "1000", "--duration-ms", "0"), "--duration-ms: 0 is outside 1 to 3600000");
        refused(good("--burst", "10", "--lcore", "-1"), "--lcore: \"-1\"");
        refused(good("--burst", "10", "--file-prefix", "../etc"), "--file-prefix: \"../etc\"");
        refused(good("--burst", "10", "--vhost-role", "both"), "--vhost-role: \"both\"");
        refused(good("--burst", "10", "--idle", "spin"), "--idle: \"spin\" is neither poll nor sleep");
        refused(good("--burst", "10", "--nice", "-21"), "--nice: -21 is outside -20 to 19");
        refused(good("--burst", "10", "--nice", "+5"), "--nice: \"+5\" is not a whole number from -20 to 19");
        refused(good("--burst", "10", "--nice", "--"), "--nice: \"--\" is not a whole number");
        refused(good("--burst", "10", "--port", "tap"), "--port: \"tap\" is neither vhost nor null");
        refused(good("--burst", "10", "--port", "null"), "--port null takes no --socket");
        refused(good("--burst", "10", "--src-ip", "10.0.0.300"), "--src-ip: \"10.0.0.300\"");
        refused(List.of("--socket", "/tmp/a,server=0"), "--socket: \"/tmp/a,server=0\"");
        refused(List.of("--socket", "relative.sock"), "--socket: \"relative.sock\"");
        refused(List.of("--socket", "/tmp/x", "--src-mac", "02:00:00:00:00:1", "--dst-mac", "02:00:00:00:00:02"),
                "--src-mac: \"02:00:00:00:00:1\"");
        refused(List.of("--socket", "/tmp/x", "--src-mac", "01:00:5e:00:00:01", "--dst-mac", "02:00:00:00:00:02",
                "--frame-size", "64", "--burst", "1"), "--src-mac: a multicast address");
        refused(List.of("--socket", "/tmp/x", "--src-mac", "02:00:00:00:00:01", "--dst-mac", "02:00:00:00:00:02",
                "--frame-size", "63"), "--frame-size: 63 is outside 64 to 9000");
        refused(List.of("--socket", "/tmp/x", "--src-mac", "02:00:00:00:00:01", "--dst-mac", "02:00:00:00:00:02",
                "--frame-size", "mix"), "--frame-size: \"mix\"");
    }

    @Test
    void aReceiveSocketFollowsTheSocketRulesAndDiffersFromIt() {
        refused(good("--burst", "10", "--rx-socket", "relative.sock"), "--socket: \"relative.sock\"");
        refused(good("--burst", "10", "--rx-socket", "/tmp/b,server=0"), "--socket: \"/tmp/b,server=0\"");
        refused(good("--burst", "10", "--rx-socket", "/tmp/nvgen-opt.sock"), "--rx-socket must differ from --socket");
        refused(good("--burst", "10", "--rx-vhost-role", "serve"), "--rx-vhost-role needs --rx-socket");
        refused(good("--burst", "10", "--rx-socket", "/tmp/b", "--rx-vhost-role", "both"), "--rx-vhost-role: \"both\"");
        refused(List.of("--port", "null", "--rx-socket", "/tmp/b", "--src-mac", "02:00:00:00:00:01", "--dst-mac",
                "02:00:00:00:00:02", "--frame-size", "64", "--burst", "1"), "--port null takes no --socket, --rx-socket");
    }

    @Test
    void modeMustBeExactlyPacedOrBurst() {
        refused(good("--rate", "1000"), "give --rate and --duration-ms (paced) or --burst (back to back)");
        refused(good("--burst", "10", "--rate", "1000"), "--burst excludes --rate and --duration-ms");
        refused(good("--burst", "0"), "--burst: 0 is outside 1 to 1000000000");
    }
}
