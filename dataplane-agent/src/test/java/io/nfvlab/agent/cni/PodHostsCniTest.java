package io.nfvlab.agent.cni;

import io.nfvlab.agent.container.PodSandboxes;
import io.nfvlab.agent.container.SandboxInterfaces;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The pod-hosts network's answers: every failure a CNI error object naming what is wrong, nothing recorded. */
class PodHostsCniTest {
    private static final String CONFIG = "{\"cniVersion\":\"1.0.0\",\"name\":\"nfvlab-hosts\",\"type\":\"nfvlab-cni\",\"mode\":\"pod-hosts\"}";
    @TempDir
    Path root;

    private PodHostsCni cni() {
        return new PodHostsCni(new PodSandboxes(root.resolve("pods")), new SandboxInterfaces(), ContainerLocks.NONE);
    }

    private static Map<String, String> env(String command, String args) {
        Map<String, String> env = new HashMap<>();
        env.put("CNI_COMMAND", command);
        env.put("CNI_CONTAINERID", "abc123");
        env.put("CNI_NETNS", "/proc/self/ns/net");
        env.put("CNI_IFNAME", "net1");
        if (args != null) {
            env.put("CNI_ARGS", args);
        }
        return env;
    }

    @Test
    void onlyThePodHostsConfigurationIsRoutedHere() {
        assertThat(PodHostsCni.handles(CONFIG)).isTrue();
        assertThat(PodHostsCni.handles("{\"cniVersion\":\"1.0.0\",\"name\":\"dpdk\",\"type\":\"nfvlab-cni\",\"host\":{}}")).isFalse();
        assertThat(PodHostsCni.handles("not json")).isFalse();
    }

    @Test
    void anAddWithoutThePodIdentityIsAnEnvironmentErrorInTheRequestsVersion() {
        CniPlugin.Outcome out = cni().execute(env("ADD", "IgnoreUnknown=true"), CONFIG);
        assertThat(out.exitCode()).isEqualTo(1);
        assertThat(out.stdout()).startsWith("{\"cniVersion\":\"1.0.0\",\"code\":4,\"msg\":\"CNI_ARGS must carry K8S_POD_NAMESPACE and K8S_POD_NAME");
        assertThat(root.resolve("pods")).doesNotExist();
    }

    @Test
    void anAddWhoseNetnsIsNoNamespaceFileIsRefusedNamingIt() throws Exception {
        Path plain = Files.writeString(root.resolve("plain"), "x");
        Map<String, String> env = env("ADD", "K8S_POD_NAMESPACE=lab;K8S_POD_NAME=r1");
        env.put("CNI_NETNS", plain.toString());
        CniPlugin.Outcome out = cni().execute(env, CONFIG);
        assertThat(out.exitCode()).isEqualTo(1);
        assertThat(out.stdout()).contains("\"code\":4").contains("CNI_NETNS " + plain + " is not a namespace file");
        assertThat(cni().execute(env("CHECK", null), CONFIG).stdout()).contains("\"code\":3");
    }

    @Test
    void aPodNameThatIsNoKubernetesNameIsRefused() {
        CniPlugin.Outcome out = cni().execute(env("ADD", "K8S_POD_NAMESPACE=../etc;K8S_POD_NAME=r1"), CONFIG);
        assertThat(out.stdout()).contains("\"code\":4").contains("K8S_POD_NAMESPACE is not a Kubernetes name");
    }

    @Test
    void delOfAnUnknownSandboxSucceedsWithAnEmptyAnswer() {
        CniPlugin.Outcome out = cni().execute(env("DEL", null), CONFIG);
        assertThat(out.exitCode()).isZero();
        assertThat(out.stdout()).isEmpty();
    }

    @Test
    void gcWithoutValidAttachmentsRemovesNothing() throws Exception {
        Files.createDirectories(root.resolve("pods"));
        Files.writeString(root.resolve("pods/lab_r1.json"), "{\"namespace\":\"lab\",\"pod\":\"r1\",\"uid\":\"u\",\"containerId\":\"abc123\"}");
        Map<String, String> env = new HashMap<>();
        env.put("CNI_COMMAND", "GC");
        CniPlugin.Outcome out = cni().execute(env, CONFIG.replace("1.0.0", "1.1.0"));
        assertThat(out.exitCode()).isZero();
        assertThat(root.resolve("pods/lab_r1.json")).exists();
        // named as valid: kept; not named: released like a DEL
        cni().execute(env, CONFIG.replace("1.0.0", "1.1.0").replace("}", ",\"cni.dev/valid-attachments\":[{\"containerID\":\"abc123\",\"ifname\":\"net1\"}]}"));
        assertThat(root.resolve("pods/lab_r1.json")).exists();
        cni().execute(env, CONFIG.replace("1.0.0", "1.1.0").replace("}", ",\"cni.dev/valid-attachments\":[]}"));
        assertThat(root.resolve("pods/lab_r1.json")).doesNotExist();
    }

    @Test
    void anUnsupportedVersionIsErrorOne() {
        CniPlugin.Outcome out = cni().execute(env("ADD", "K8S_POD_NAMESPACE=lab;K8S_POD_NAME=r1"), CONFIG.replace("1.0.0", "9.9.9"));
        assertThat(out.stdout()).contains("\"code\":1");
    }
}
