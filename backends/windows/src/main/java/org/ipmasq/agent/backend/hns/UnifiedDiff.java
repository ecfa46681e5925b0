package org.ipmasq.agent.backend.hns;

import com.github.difflib.DiffUtils;
import com.github.difflib.patch.AbstractDelta;
import com.github.difflib.patch.Chunk;
import java.util.ArrayList;
import java.util.List;

/**
 * A file's change as {@code diff -u --label PATH --label PATH OLD NEW} prints it, so an operator
 * can read it like any diff and apply it with {@code patch}: headers without timestamps (the
 * file has not been written, so it has no new time to show), three lines of context, hunks
 * closer than seven unchanged lines joined, a count of 1 left out of the hunk header, and a
 * last line without a line break marked {@code \ No newline at end of file}. Lines keep their
 * own endings, so a CRLF file's diff carries its CRs. java-diff-utils finds the changed lines;
 * its own unified writer differs from GNU diff in those details, hence this layout.
 */
final class UnifiedDiff {

    private static final int CONTEXT = 3;

    private UnifiedDiff() {
    }

    /** The diff of {@code before} to {@code after}; empty when they are equal. */
    static String of(String path, String before, String after) {
        if (before.equals(after)) {
            return "";
        }
        List<String> a = lines(before);
        List<String> b = lines(after);
        List<AbstractDelta<String>> deltas = DiffUtils.diff(a, b).getDeltas();
        StringBuilder out = new StringBuilder();
        out.append("--- ").append(path).append('\n');
        out.append("+++ ").append(path).append('\n');
        int first = 0;
        while (first < deltas.size()) {
            int last = first;
            while (last + 1 < deltas.size()
                    && deltas.get(last + 1).getSource().getPosition() - end(deltas.get(last).getSource()) <= 2 * CONTEXT) {
                last++;
            }
            hunk(out, a, deltas.subList(first, last + 1));
            first = last + 1;
        }
        return out.toString();
    }

    private static void hunk(StringBuilder out, List<String> a, List<AbstractDelta<String>> deltas) {
        Chunk<String> firstSource = deltas.get(0).getSource();
        Chunk<String> lastSource = deltas.get(deltas.size() - 1).getSource();
        Chunk<String> firstTarget = deltas.get(0).getTarget();
        Chunk<String> lastTarget = deltas.get(deltas.size() - 1).getTarget();
        int aStart = Math.max(0, firstSource.getPosition() - CONTEXT);
        int aEnd = Math.min(a.size(), end(lastSource) + CONTEXT);
        int bStart = firstTarget.getPosition() - (firstSource.getPosition() - aStart);
        int bEnd = end(lastTarget) + (aEnd - end(lastSource));
        out.append("@@ -").append(range(aStart, aEnd - aStart)).append(" +").append(range(bStart, bEnd - bStart))
                .append(" @@\n");
        int at = aStart;
        for (AbstractDelta<String> delta : deltas) {
            while (at < delta.getSource().getPosition()) {
                line(out, ' ', a.get(at++));
            }
            delta.getSource().getLines().forEach(l -> line(out, '-', l));
            delta.getTarget().getLines().forEach(l -> line(out, '+', l));
            at = end(delta.getSource());
        }
        while (at < aEnd) {
            line(out, ' ', a.get(at++));
        }
    }

    /** GNU's hunk range: "N" for one line, "N,COUNT" otherwise, and for no lines the line before them. */
    private static String range(int start, int count) {
        if (count == 0) {
            return start + ",0";
        }
        return count == 1 ? Integer.toString(start + 1) : (start + 1) + "," + count;
    }

    private static void line(StringBuilder out, char prefix, String line) {
        out.append(prefix).append(line);
        if (!line.endsWith("\n")) {
            out.append("\n\\ No newline at end of file\n");
        }
    }

    private static int end(Chunk<String> chunk) {
        return chunk.getPosition() + chunk.size();
    }

    /** The lines with their line breaks; the last one may have none. */
    static List<String> lines(String text) {
        List<String> lines = new ArrayList<>();
        int start = 0;
        while (start < text.length()) {
            int newline = text.indexOf('\n', start);
            int end = newline < 0 ? text.length() : newline + 1;
            lines.add(text.substring(start, end));
            start = end;
        }
        return lines;
    }
}
