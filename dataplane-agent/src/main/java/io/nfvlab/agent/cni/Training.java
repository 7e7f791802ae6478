package io.nfvlab.agent.cni;

import io.nfvlab.agent.ovs.OvsdbClient;
import io.nfvlab.agent.process.Command;
import io.nfvlab.agent.process.CommandRunner;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * {@code JvmFallback --train} of the plugin's JVM entry point: walks the code paths of ADD and DEL without touching OVS or IPAM (parsing, naming, hashing,
 * JSON, starting a process, the atomic state write), so that the AppCDS archive the launcher records from this run
 * holds the classes a real ADD loads. The first real call then starts as fast as the later ones.
 */
public final class Training {
    private Training() {
    }

    public static void run() throws IOException {
        Path dir = Files.createTempDirectory("nfvlab-cni-train");
        try {
            String conf = "{\"cniVersion\":\"1.1.0\",\"name\":\"train\",\"type\":\"nfvlab-cni\",\"stateDir\":\"" + dir
                    + "\",\"sharedDir\":\"" + dir + "\",\"host\":{\"engine\":\"ovs-dpdk\",\"iftype\":\"vhostuser\","
                    + "\"netType\":\"bridge\",\"vhost\":{\"mode\":\"client\"},\"bridge\":{\"bridgeName\":\"br0\"}},"
                    + "\"container\":{\"engine\":\"dpdk\",\"vhost\":{\"mode\":\"server\"}},\"ipam\":{\"type\":\"host-local\","
                    + "\"subnet\":\"10.0.0.0/24\",\"ranges\":[[{\"subnet\":\"10.0.0.0/24\"}]],\"n\":1.5}}";
            CniRequest req = CniRequest.parse(Map.of("CNI_COMMAND", "ADD", "CNI_CONTAINERID", "train", "CNI_NETNS",
                    "/var/run/netns/train", "CNI_IFNAME", "net1", "CNI_PATH", "/nonexistent",
                    "CNI_ARGS", "K8S_POD_NAMESPACE=a;K8S_POD_NAME=b"), conf, new CniRoots(dir, dir, dir));
            AttachmentStore store = new AttachmentStore(req.stateDir());
            Path file = store.file(req.network(), req.containerId(), req.ifname());
            store.write(file, Map.of("port", AttachmentNames.port(req.containerId(), req.ifname()), "dir", AttachmentNames.containerDir("x")));
            store.read(file);
            store.all();
            store.delete(file);
            CommandRunner.run(Command.of(List.of("true"), Duration.ofSeconds(5)).withEnvironment(Map.of("PATH", "/usr/bin:/bin"))
                    .withStdin("{}"));
            // the OVSDB client's classes: framing, and a connection that finds no server
            OvsdbClient.endOfObject(Json.write(Map.of("id", 1, "result", List.of(Map.of("rows", List.of())))).getBytes(StandardCharsets.UTF_8));
            try (OvsPorts none = new OvsPorts(dir.resolve("no-ovsdb.sock"))) {
                none.bridgeExists("br0");
            } catch (CniException expected) {
                // nothing listens there
            }
            Json.parse(Json.write(CniPlugin.configurationData(req, dir.resolve("s"), AttachmentNames.mac("c", "i"), Map.of("ips", List.of()))));
            new CniException(CniException.DECODE_FAILURE, "x").toJson("1.1.0");
            new CniPlugin(AttachmentPublisher.NONE, ContainerLocks.NONE).execute(Map.of("CNI_COMMAND", "VERSION"), "");
            Files.createDirectories(dir.resolve("d"));
            Files.deleteIfExists(dir.resolve("d"));
        } catch (CniException | Json.ParseException e) {
            throw new IllegalStateException(e);
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
