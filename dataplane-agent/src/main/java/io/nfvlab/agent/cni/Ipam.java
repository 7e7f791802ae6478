package io.nfvlab.agent.cni;

import io.nfvlab.agent.process.Command;
import io.nfvlab.agent.process.CommandRunner;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Delegates IPAM to the plugin named by {@code ipam.type}, found in CNI_PATH, as the CNI spec's delegation rules say,
 * with the {@code ipam} section as CniRequest confined it: host-local's {@code dataDir} always set, below the agent's
 * IPAM root.
 */
final class Ipam {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private Ipam() {
    }

    static Map<String, Object> add(CniRequest req, Path root) throws CniException {
        return call("ADD", req, root);
    }

    /** Releases the reservation; a plugin that does not exist cannot have reserved anything. */
    static void del(CniRequest req, Path root) throws CniException {
        try {
            find((String) req.ipam().get("type"), req.cniPath());
        } catch (CniException missing) {
            return;
        }
        call("DEL", req, root);
    }

    static void check(CniRequest req, Path root) throws CniException {
        call("CHECK", req, root);
    }

    /**
     * host-local creates and deletes files in {@code <dataDir>/<network>} as root: no component below the IPAM root
     * may be a symbolic link that would lead it elsewhere.
     */
    static void checkDataDir(CniRequest req, Path root) throws CniException {
        CniRoots.checkNoLinks("ipam.dataDir", Path.of((String) req.ipam().get("dataDir")).resolve(req.network()), root);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> call(String command, CniRequest req, Path root) throws CniException {
        String type = (String) req.ipam().get("type");
        File plugin = find(type, req.cniPath());
        checkDataDir(req, root);
        Map<String, Object> conf = new LinkedHashMap<>(req.config());
        conf.put("ipam", req.ipam());
        // Debian's reference plugins (1.1.1) speak CNI up to 1.0.0; a 1.0.0 IPAM result has the 1.1.0 shape
        if ("1.1.0".equals(conf.get("cniVersion"))) {
            conf.put("cniVersion", "1.0.0");
        }
        Map<String, String> env = new HashMap<>();
        env.put("CNI_COMMAND", command);
        env.put("CNI_CONTAINERID", req.containerId());
        env.put("CNI_NETNS", req.netns() == null ? "" : req.netns());
        env.put("CNI_IFNAME", req.ifname());
        env.put("CNI_PATH", req.cniPath());
        env.put("PATH", req.execPath());
        CommandRunner.Result r = CommandRunner.run(Command.of(List.of(plugin.getPath()), TIMEOUT)
                .withEnvironment(env).withStdin(Json.write(conf)));
        if (r.timedOut()) {
            throw new CniException(CniException.TRY_AGAIN_LATER, "ipam " + type + ": " + plugin.getPath() + " timed out after "
                    + TIMEOUT.toMillis() + " ms");
        }
        if (!r.ok()) {
            int code = CniException.IO_FAILURE;
            String msg = r.firstErrorLine().isEmpty() ? "exit " + r.exitCode() : r.firstErrorLine();
            try {
                if (Json.parse(r.stdout()) instanceof Map<?, ?> err) {
                    code = err.get("code") instanceof Number n ? n.intValue() : code;
                    msg = String.valueOf(err.get("msg"));
                }
            } catch (Json.ParseException e) {
                // not a CNI error object: keep the first line
            }
            throw new CniException(code, "ipam " + type + " " + command + ": " + msg);
        }
        if (!command.equals("ADD")) {
            return Map.of();
        }
        try {
            if (Json.parse(r.stdout()) instanceof Map<?, ?> result) {
                return (Map<String, Object>) result;
            }
        } catch (Json.ParseException e) {
            throw new CniException(CniException.DECODE_FAILURE, "ipam " + type + " printed a result that is not JSON: " + e.getMessage());
        }
        throw new CniException(CniException.DECODE_FAILURE, "ipam " + type + " printed a result that is not a JSON object");
    }

    static File find(String type, String cniPath) throws CniException {
        for (String dir : cniPath.split(":")) {
            if (dir.isEmpty()) {
                continue;
            }
            File f = new File(dir, type);
            if (f.isFile() && f.canExecute()) {
                return f;
            }
        }
        throw new CniException(CniException.INVALID_NETWORK_CONFIG, "ipam plugin \"" + type + "\" not found in CNI_PATH " + CniRequest.clip(cniPath));
    }
}
