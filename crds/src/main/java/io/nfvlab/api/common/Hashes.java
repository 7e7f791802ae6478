package io.nfvlab.api.common;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 of text, for the names, tokens, MACs and VNIs derived from user-given names. Every derivation hashes the
 * UTF-8 bytes through here, so two modules deriving the same name from the same text always agree.
 */
public final class Hashes {
    private Hashes() {
    }

    /** SHA-256 of the text's UTF-8 bytes (32 bytes). */
    public static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            // every Java platform must provide SHA-256 (java.security.MessageDigest's contract)
            throw new IllegalStateException(e);
        }
    }

    /** SHA-256 of {@code bytes} as 64 lowercase hex digits. */
    public static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** SHA-256 of the text as 64 lowercase hex digits. */
    public static String sha256Hex(String text) {
        return HexFormat.of().formatHex(sha256(text));
    }
}
