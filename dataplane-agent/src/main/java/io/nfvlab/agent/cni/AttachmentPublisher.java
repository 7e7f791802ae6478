package io.nfvlab.agent.cni;

import java.util.Map;

/**
 * Where an attachment's configuration-data goes besides the file in the shared directory: an agent started with
 * {@code --annotate-pods} writes it into the pod's {@code userspace/configuration-data} annotation; by default the agent
 * writes no pods (pod patch rights on a node's agent would be code execution anywhere: a patched image), and the plugin
 * running without an agent has no Kubernetes credentials; both publish nothing.
 */
public interface AttachmentPublisher {
    /** The agent's default: the file in the pod's shared directory is where the container finds its socket. */
    AttachmentPublisher SHARED_DIR_ONLY = new AttachmentPublisher() {
        @Override
        public boolean publish(String namespace, String pod, String network, String ifName, Map<String, Object> data) {
            return true;
        }

        @Override
        public void withdraw(String namespace, String pod, String network, String ifName) {
            // nothing was published
        }
    };

    /** Nothing to publish to; says so once per invocation that had a pod to annotate. */
    AttachmentPublisher NONE = new AttachmentPublisher() {
        @Override
        public boolean publish(String namespace, String pod, String network, String ifName, Map<String, Object> data) {
            throw new IllegalStateException("no nfvlab agent: pod annotation not published (the configuration is in the shared directory)");
        }

        @Override
        public void withdraw(String namespace, String pod, String network, String ifName) {
            // nothing was published
        }
    };

    /** Adds or replaces the entry of (network, ifName); false when the pod does not exist. Throws when it fails. */
    boolean publish(String namespace, String pod, String network, String ifName, Map<String, Object> data);

    /** Removes the entry of (network, ifName), if the pod and the entry exist. Throws when it fails. */
    void withdraw(String namespace, String pod, String network, String ifName);
}
