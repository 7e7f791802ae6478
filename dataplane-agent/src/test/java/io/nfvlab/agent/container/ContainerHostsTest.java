package io.nfvlab.agent.container;

import io.nfvlab.agent.testing.OneNodePlans;
import io.nfvlab.api.node.NetworkNodeState;
import io.nfvlab.api.node.NetworkNodeStateStatus.ItemError;
import io.nfvlab.api.node.PlannedHost;
import io.nfvlab.api.topology.HostSpec;
import io.nfvlab.api.topology.LinkSpec;
import io.nfvlab.api.topology.PodHostSpec;
import io.nfvlab.api.topology.PodTemplate;
import io.nfvlab.api.topology.SwitchSpec;
import io.nfvlab.api.topology.VirtualTopologySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;

/** What ContainerHosts asks of the runtime and reports, with an in-memory runtime (the IT runs the real podman). */
class ContainerHostsTest {
    private static final String NODE = "node-a";
    private final ExecutorService pool = Executors.newFixedThreadPool(2);

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    /** A runtime that records what it is asked; containers "run" with no process, so attaching is never reached. */
    static final class RecordingRuntime implements ContainerRuntime {
        final boolean available;
        final List<RunSpec> started = new ArrayList<>();
        final List<List<String>> removed = new ArrayList<>();
        final List<Container> listed = new ArrayList<>();

        RecordingRuntime(boolean available) {
            this.available = available;
        }

        @Override
        public String name() {
            return "recording";
        }

        @Override
        public boolean available() {
            return available;
        }

        @Override
        public List<Container> list(String labelKey, String labelValue) {
            return listed.stream().filter(c -> labelValue.equals(c.labels().get(labelKey))).toList();
        }

        @Override
        public Optional<Container> inspect(String name) {
            // started but already exited: the agent must say so against the host
            return started.stream().filter(s -> s.name().equals(name)).findFirst()
                    .map(s -> new Container(name, false, 0, 7, s.labels()));
        }

        @Override
        public synchronized void run(RunSpec spec) throws RuntimeFailure {
            if (spec.image().contains("missing")) {
                throw new RuntimeFailure("image " + spec.image() + " is not on this node");
            }
            started.add(spec);
        }

        @Override
        public void remove(List<String> names) {
            removed.add(names);
        }

        @Override
        public List<String> execArgv(String name, List<String> command) {
            return List.of();
        }
    }

    private static NetworkNodeState state(String image) {
        PodHostSpec pod = PodHostSpec.builder().template(PodTemplate.builder().image(image).env(PodTemplate.EnvEntry.builder().name("A").value("1").build())
                .capability("NET_ADMIN").sysctl(PodTemplate.EnvEntry.builder().name("net.ipv4.ip_forward").value("1").build())
                .build()).build();
        return OneNodePlans.state("ch", NODE, VirtualTopologySpec.builder()
                .host(HostSpec.builder().name("r1").pod(pod).build())
                .host(HostSpec.builder().name("h2").build())
                .switchSpec(SwitchSpec.builder().name("s1").build())
                .link(LinkSpec.builder().a("r1").b("s1").build())
                .link(LinkSpec.builder().a("h2").b("s1").build())
                .build());
    }

    @Test
    void withoutAContainerRuntimeTheHostAndItsLinkAreReportedAndLeftOutOfTheBuild() {
        NetworkNodeState s = state("localhost/x:1");
        ContainerHosts.Prepared p = new ContainerHosts(NODE, new NoContainerRuntime(), new NetnsAttacher(), pool)
                .prepare(s.getSpec().getOwner().getToken(), s.getSpec());
        assertThat(p.errors()).extracting(ItemError::getItem).containsExactly("hosts/r1", "links/r1-eth1~s1-eth1");
        assertThat(p.errors().get(0).getMessage()).isEqualTo("node node-a has no container runtime (podman) for container host r1");
        assertThat(p.spec().hostsOrEmpty()).extracting(PlannedHost::getName).containsExactly("h2");
        assertThat(p.spec().linksOrEmpty()).hasSize(1);
    }

    @Test
    void theContainerIsStartedLabelledWithTheTemplateAndAnExitIsReportedWithItsCode() {
        NetworkNodeState s = state("localhost/x:1");
        String token = s.getSpec().getOwner().getToken();
        RecordingRuntime runtime = new RecordingRuntime(true);
        ContainerHosts.Prepared p = new ContainerHosts(NODE, runtime, new NetnsAttacher(), pool).prepare(token, s.getSpec());

        ContainerRuntime.RunSpec run = runtime.started.get(0);
        assertThat(run.name()).isEqualTo("nfv-" + token + "-r1");
        assertThat(run.image()).isEqualTo("localhost/x:1");
        assertThat(run.env()).isEqualTo(Map.of("A", "1"));
        assertThat(run.capabilities()).containsExactly("NET_ADMIN");
        assertThat(run.sysctls()).isEqualTo(Map.of("net.ipv4.ip_forward", "1"));
        assertThat(run.privileged()).isFalse();
        assertThat(run.labels()).containsEntry(ContainerHosts.OWNER_LABEL, token).containsEntry(ContainerHosts.NODE_LABEL, NODE)
                .containsEntry(ContainerHosts.HOST_LABEL, "r1").containsKey(ContainerHosts.SPEC_LABEL);
        assertThat(p.errors()).extracting(ItemError::getMessage).first().asString()
                .isEqualTo("the container nfv-" + token + "-r1 of host r1 is not running (exited with code 7)");
    }

    @Test
    void aMissingImageNamesTheHostAndTheImage() {
        NetworkNodeState s = state("localhost/missing:1");
        ContainerHosts.Prepared p = new ContainerHosts(NODE, new RecordingRuntime(true), new NetnsAttacher(), pool)
                .prepare(s.getSpec().getOwner().getToken(), s.getSpec());
        assertThat(p.errors().get(0).getItem()).isEqualTo("hosts/r1");
        assertThat(p.errors().get(0).getMessage()).isEqualTo("host r1: image localhost/missing:1 is not on this node");
    }

    @Test
    void teardownAndSweepRemoveOnlyThisNodesContainersOfGoneOwners() {
        NetworkNodeState s = state("localhost/x:1");
        String token = s.getSpec().getOwner().getToken();
        RecordingRuntime runtime = new RecordingRuntime(true);
        runtime.listed.add(new ContainerRuntime.Container("mine", true, 1, null,
                Map.of(ContainerHosts.OWNER_LABEL, token, ContainerHosts.NODE_LABEL, NODE)));
        runtime.listed.add(new ContainerRuntime.Container("other-node", true, 1, null,
                Map.of(ContainerHosts.OWNER_LABEL, token, ContainerHosts.NODE_LABEL, "node-b")));
        runtime.listed.add(new ContainerRuntime.Container("live-owner", true, 1, null,
                Map.of(ContainerHosts.OWNER_LABEL, "aaaaa", ContainerHosts.NODE_LABEL, NODE)));
        ContainerHosts hosts = new ContainerHosts(NODE, runtime, new NetnsAttacher(), pool);

        hosts.teardown(token, s.getSpec());
        assertThat(runtime.removed).containsExactly(List.of("mine"));
        runtime.removed.clear();
        assertThat(hosts.sweep(java.util.Set.of("aaaaa"))).containsExactly(token);
        assertThat(runtime.removed).containsExactly(List.of("mine"));
    }
}
