package org.ipmasq.agent.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Short SHA-256 fingerprints of text, stable across processes and JVM versions. */
public final class Sha256 {

    private Sha256() {
    }

    /** The first {@code hexDigits} hex digits of the SHA-256 of {@code text} in UTF-8 (at most 64). */
    public static String hexPrefix(String text, int hexDigits) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, hexDigits);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
