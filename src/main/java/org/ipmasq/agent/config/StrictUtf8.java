package org.ipmasq.agent.config;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Strict UTF-8: a lenient decoder would turn bad bytes into U+FFFD and hide a broken file. */
public final class StrictUtf8 {

    private StrictUtf8() {
    }

    /** The text of {@code bytes} from {@code offset} on; throws on any byte sequence that is not UTF-8. */
    public static String decode(byte[] bytes, int offset) throws CharacterCodingException {
        return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes, offset, bytes.length - offset))
                .toString();
    }
}
