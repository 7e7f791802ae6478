package io.nfvlab.agent.cni;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;

/**
 * The only directories the plugin creates, writes and deletes in: {@code shared} (vhost-user sockets and the
 * configuration beside them, one directory per container), {@code state} (what ADD did, for DEL) and {@code ipam}
 * (host-local's reservations, which host-local, run by the root agent, writes and deletes). They come from the
 * agent's configuration ({@code --cni-shared-root}, {@code --cni-state-root}, {@code --cni-ipam-root}) or, for the JVM
 * fallback, from the environment the container runtime gives the plugin ({@code NFVLAB_CNI_SHARED_ROOT},
 * {@code NFVLAB_CNI_STATE_ROOT}, {@code NFVLAB_CNI_IPAM_ROOT}): never from the network configuration, which namespace
 * tenants write (a NetworkAttachmentDefinition) and the root agent would otherwise write and delete wherever it names.
 * A network configuration's {@code sharedDir}, {@code stateDir} and {@code ipam.dataDir} are honoured only at or below
 * these roots, with no symbolic link on the way (a pod can plant one in its shared directory).
 */
public record CniRoots(Path shared, Path state, Path ipam) {
    /** host-local's own default data directory: where its reservations are when a network configuration names none. */
    public static final String DEFAULT_IPAM_ROOT = "/var/lib/cni/networks";
    public static final CniRoots DEFAULT = new CniRoots(Path.of(CniRequest.DEFAULT_SHARED_ROOT), Path.of(CniRequest.DEFAULT_STATE_DIR),
            Path.of(DEFAULT_IPAM_ROOT));
    public static final String SHARED_ROOT_ENV = "NFVLAB_CNI_SHARED_ROOT";
    public static final String STATE_ROOT_ENV = "NFVLAB_CNI_STATE_ROOT";
    public static final String IPAM_ROOT_ENV = "NFVLAB_CNI_IPAM_ROOT";

    public CniRoots {
        if (!shared.isAbsolute() || !state.isAbsolute() || !ipam.isAbsolute()) {
            throw new IllegalArgumentException("CNI roots must be absolute paths: " + shared + ", " + state + ", " + ipam);
        }
        shared = shared.normalize();
        state = state.normalize();
        ipam = ipam.normalize();
    }

    /** {@code shared}, {@code state} and {@code ipam} below one directory (tests). */
    public static CniRoots under(Path dir) {
        return new CniRoots(dir.resolve("shared"), dir.resolve("state"), dir.resolve("ipam"));
    }

    /** The JVM fallback's roots: the runtime's environment where it sets them (absolute paths), else the defaults. */
    public static CniRoots fromEnvironment(Map<String, String> env) {
        return new CniRoots(absolute(env.get(SHARED_ROOT_ENV), DEFAULT.shared()), absolute(env.get(STATE_ROOT_ENV), DEFAULT.state()),
                absolute(env.get(IPAM_ROOT_ENV), DEFAULT.ipam()));
    }

    private static Path absolute(String value, Path fallback) {
        return value == null || value.isEmpty() || !value.startsWith("/") || value.indexOf('\0') >= 0 ? fallback : Path.of(value);
    }

    /**
     * The directory a network configuration names for {@code field}, if it lies at or below {@code root} (compared by
     * path components, so {@code /var/lib/cni/nfvlab2} is not below {@code /var/lib/cni/nfvlab}); the root itself when
     * it names none.
     */
    static String confine(String field, String value, Path root) throws CniException {
        if (value == null) {
            return root.toString();
        }
        Path p = Path.of(value).normalize();
        if (!p.startsWith(root)) {
            throw new CniException(CniException.INVALID_NETWORK_CONFIG, field + " \"" + CniRequest.clip(value)
                    + "\" is outside the agent's CNI root " + root + ": the agent writes only below the directories of its own configuration");
        }
        return p.toString();
    }

    /**
     * Before creating or writing anything in {@code dir}: every existing component below {@code root} down to it is a
     * real directory, not a symbolic link (which could lead the root agent out of its root). The root itself is the
     * agent's configuration and may be a link ({@code /var/run} is one on Debian).
     */
    static void checkNoLinks(String field, Path dir, Path root) throws CniException {
        if (!dir.normalize().startsWith(root)) {
            throw new CniException(CniException.INVALID_NETWORK_CONFIG, field + ": " + dir + " is outside the agent's CNI root " + root);
        }
        Path at = root;
        for (Path name : root.relativize(dir)) {
            if (name.toString().isEmpty()) {
                return; // dir is the root
            }
            at = at.resolve(name);
            if (Files.isSymbolicLink(at)) {
                throw new CniException(CniException.INVALID_NETWORK_CONFIG, field + ": " + at + " is a symbolic link: the agent "
                        + "follows none below its CNI root " + root);
            }
            if (!Files.exists(at, LinkOption.NOFOLLOW_LINKS)) {
                return;
            }
            if (!Files.isDirectory(at, LinkOption.NOFOLLOW_LINKS)) {
                throw new CniException(CniException.INVALID_NETWORK_CONFIG, field + ": " + at + " is not a directory");
            }
        }
    }
}
