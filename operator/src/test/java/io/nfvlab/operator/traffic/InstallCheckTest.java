package io.nfvlab.operator.traffic;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.nfvlab.agent.Agent;
import io.nfvlab.agent.AgentConfig;
import io.nfvlab.agent.kernel.fake.FakeDataplane;
import io.nfvlab.api.topology.VirtualTopology;
import io.nfvlab.api.traffic.TrafficTest;
import io.nfvlab.apiserver.EmbeddedApiServer;
import io.nfvlab.operator.InstallCheck;
import io.nfvlab.operator.NfvlabOperator;
import io.nfvlab.operator.controller.OperatorConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The helm test's check (`nfvlab-operator check-install`) against a running operator and agent. */
class InstallCheckTest {
    private EmbeddedApiServer server;
    private KubernetesClient admin;
    private NfvlabOperator operator;
    private Agent agent;
    private final ScriptedTrafficJobs jobs = new ScriptedTrafficJobs();
    private Path kubeconfig;

    @BeforeEach
    void start() throws IOException {
        server = EmbeddedApiServer.start();
        admin = server.client();
        kubeconfig = Files.createTempFile("nfvlab-check-", ".kubeconfig");
        Files.writeString(kubeconfig, server.kubeconfig("default"));
    }

    @AfterEach
    void stop() throws IOException {
        if (operator != null) operator.close();
        if (agent != null) agent.close();
        server.close();
        Files.deleteIfExists(kubeconfig);
    }

    private void startOperatorAndAgent() {
        agent = Agent.start(server.newClient(), AgentConfig.builder().nodeName("node-a").embedded(true)
                .dataplane(new FakeDataplane()).trafficJobs(jobs)
                .resyncInterval(Duration.ofSeconds(2)).trafficPollInterval(Duration.ofMillis(200)).build());
        operator = NfvlabOperator.start(server.newClient(), OperatorConfig.embeddedDefaults());
    }

    @Test
    void passesWhenMinimalIsReadyAndPingallSucceededAndLeavesNothing() {
        startOperatorAndAgent();
        Result r = check("--namespace", "lab-system");
        assertThat(r.code).as(r.err).isZero();
        assertThat(r.out).contains("topology minimal Ready", "pingall Succeeded: Results: 0% dropped (2/2 received)");
        assertNothingLeft("lab-system");
    }

    @Test
    void failsWithTheTestsSummaryWhenPingallLosesPacketsAndStillCleansUp() {
        jobs.cut.add("h1>h2");
        startOperatorAndAgent();
        Result r = check("--namespace", "lab-system");
        assertThat(r.code).isEqualTo(1);
        assertThat(r.err.strip()).startsWith("nfvlab-check: pingall (lab-system/nfvlab-check-pingall) did not succeed: Failed")
                .contains("dropped").doesNotContain("\n");
        assertNothingLeft("lab-system");
    }

    @Test
    void withoutAnOperatorItFailsAfterTheTimeoutSayingWhatItWaitedFor() {
        Result r = check("--namespace", "lab-system", "--timeout", "PT2S");
        assertThat(r.code).isEqualTo(1);
        assertThat(r.err).contains("topology minimal (lab-system/nfvlab-check) is not Ready: no status yet (is the operator running?) (after 2 s)");
    }

    private void assertNothingLeft(String ns) {
        assertThat(admin.resources(VirtualTopology.class).inNamespace(ns).list().getItems()).isEmpty();
        assertThat(admin.resources(TrafficTest.class).inNamespace(ns).list().getItems()).isEmpty();
    }

    private record Result(int code, String out, String err) {
    }

    private Result check(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] all = new String[args.length + 3];
        all[0] = "check-install";
        all[1] = "--kubeconfig";
        all[2] = kubeconfig.toString();
        System.arraycopy(args, 0, all, 3, args.length);
        CommandLine cli = new CommandLine(new io.nfvlab.operator.OperatorMain());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(all);
        return new Result(code, out.toString(), err.toString());
    }
}
