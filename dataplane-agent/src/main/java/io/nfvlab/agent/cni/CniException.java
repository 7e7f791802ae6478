package io.nfvlab.agent.cni;

import java.util.LinkedHashMap;
import java.util.Map;

/** A CNI error result: {@code {"cniVersion","code","msg","details"}} on stdout and a non-zero exit. */
public final class CniException extends Exception {
    public static final int INCOMPATIBLE_VERSION = 1;
    public static final int UNSUPPORTED_FIELD = 2;
    public static final int UNKNOWN_CONTAINER = 3;
    public static final int INVALID_ENVIRONMENT = 4;
    public static final int IO_FAILURE = 5;
    public static final int DECODE_FAILURE = 6;
    public static final int INVALID_NETWORK_CONFIG = 7;
    public static final int TRY_AGAIN_LATER = 11;
    public static final int PLUGIN_NOT_AVAILABLE = 50;
    /** Plugin-specific (100+): CHECK found the attachment missing or broken. */
    public static final int ATTACHMENT_BROKEN = 100;

    private final int code;
    private final String details;

    public CniException(int code, String msg) {
        this(code, msg, null);
    }

    public CniException(int code, String msg, String details) {
        super(msg);
        this.code = code;
        this.details = details;
    }

    public int code() {
        return code;
    }

    public String details() {
        return details;
    }

    public String toJson(String cniVersion) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cniVersion", cniVersion);
        m.put("code", code);
        m.put("msg", getMessage());
        if (details != null && !details.isEmpty()) {
            m.put("details", details);
        }
        return Json.write(m);
    }
}
