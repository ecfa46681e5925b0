package org.ipmasq.agent.exec;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the lines of a command's stdin that its complaint points at, so that an error says
 * {@code line 5 failed} and also what line 5 was (kube-proxy logs the same way). Two spellings are
 * known: iptables-restore's {@code line 5 failed} / {@code line 5: RULE_APPEND failed}, and nft
 * -f's {@code /dev/stdin:5:1-30: Error: ...}.
 */
final class FailingInputLines {

    /** A complaint naming more lines than this is quoted in part; one failing line is the usual case. */
    static final int MOST_QUOTED = 3;
    /** Long enough for any rule we write; a 10,000-element set line is cut. */
    static final int MOST_CHARS = 300;

    private static final Pattern IPTABLES = Pattern.compile("\\bline (\\d+)\\b");
    private static final Pattern NFT = Pattern.compile("^\\S*?:(\\d+):\\d+(?:-\\d+)?: ", Pattern.MULTILINE);

    private FailingInputLines() {
    }

    /** "; line 5: -A IP-MASQ-AGENT ..." for each input line the complaint names, or "" when it names none. */
    static String quote(String complaint, String input) {
        Set<Integer> numbers = new LinkedHashSet<>();
        for (Pattern pattern : List.of(NFT, IPTABLES)) {
            Matcher m = pattern.matcher(complaint);
            while (m.find()) {
                numbers.add(Integer.parseInt(m.group(1)));
            }
        }
        List<String> lines = input.lines().toList();
        StringBuilder quoted = new StringBuilder();
        numbers.stream().filter(n -> n >= 1 && n <= lines.size()).limit(MOST_QUOTED).forEach(n -> {
            String line = lines.get(n - 1).strip();
            quoted.append("; line ").append(n).append(": ")
                    .append(line.length() > MOST_CHARS ? line.substring(0, MOST_CHARS) + "..." : line);
        });
        return quoted.toString();
    }
}
