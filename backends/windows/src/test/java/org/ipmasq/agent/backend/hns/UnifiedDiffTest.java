package org.ipmasq.agent.backend.hns;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The dry run's diffs read exactly as GNU diff prints them, and patch turns the original into the new text. */
class UnifiedDiffTest {

    @TempDir
    Path dir;

    static Stream<Arguments> pairs() {
        String thirty = lines(1, 30);
        return Stream.of(
                Arguments.of("one line changed", "a\nb\nc\n", "a\nB\nc\n"),
                Arguments.of("a one-line file", "a\n", "b\n"),
                Arguments.of("changes at both ends", thirty, thirty.replace("l1\n", "L1\n").replace("l30\n", "L30\n")),
                Arguments.of("six unchanged lines between: one hunk", thirty,
                        thirty.replace("l10\n", "L10\n").replace("l17\n", "L17\n")),
                Arguments.of("seven unchanged lines between: two hunks", thirty,
                        thirty.replace("l10\n", "L10\n").replace("l18\n", "L18\n")),
                Arguments.of("lines added and removed", thirty,
                        thirty.replace("l5\n", "").replace("l20\n", "l20\nnew1\nnew2\n")),
                Arguments.of("insert at the top", "a\nb\n", "x\na\nb\n"),
                Arguments.of("no newline at the end, changed", "a\nb", "a\nc"),
                Arguments.of("no newline at the end, kept as context", "a\nb\nc\nd", "A\nb\nc\nd"),
                Arguments.of("newline added at the end", "a\nb", "a\nb\n"),
                Arguments.of("CRLF lines", "{\r\n  \"a\": [\r\n    \"x\"\r\n  ]\r\n}\r\n",
                        "{\r\n  \"a\": [\r\n    \"y\",\r\n    \"z\"\r\n  ]\r\n}\r\n"),
                Arguments.of("a list grown by several lines", "{\n  \"l\": [\n    \"1\"\n  ],\n  \"k\": 1\n}\n",
                        "{\n  \"l\": [\n    \"1\",\n    \"2\",\n    \"3\",\n    \"1\"\n  ],\n  \"k\": 1\n}\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pairs")
    void matchesGnuDiffAndPatchesTheOriginalIntoTheNewText(String name, String before, String after) throws Exception {
        String diff = UnifiedDiff.of("net.d/10-cbr0.conf", before, after);

        assertEquals(DiffTools.gnuDiff(dir, "net.d/10-cbr0.conf", before, after), diff);
        assertEquals(after, DiffTools.patch(dir, before, diff));
    }

    @Test
    void equalTextsHaveNoDiff() {
        assertEquals("", UnifiedDiff.of("x", "a\n", "a\n"));
    }

    private static String lines(int from, int to) {
        StringBuilder out = new StringBuilder();
        for (int i = from; i <= to; i++) {
            out.append('l').append(i).append('\n');
        }
        return out.toString();
    }
}
