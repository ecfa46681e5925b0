package org.ipmasq.agent.config;

import java.math.BigInteger;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Go's {@code time.ParseDuration} and {@code Duration.String()}. The config format comes from the Go
 * ip-masq-agent, so a duration string must mean exactly what it means there: same syntax, same
 * units, same int64-nanosecond range, same truncation of fractional nanoseconds.
 *
 * <p>Go's parser works on unsigned 64-bit integers and allows magnitudes up to 2^63 (so that
 * {@code "-9223372036854775808ns"} is valid). Java has no unsigned long, so the arithmetic below
 * uses {@code long} bit patterns with the {@code Long.*Unsigned} helpers.
 */
public final class GoDuration {

    /** 1 << 63 as an unsigned value: the largest magnitude Go accepts (for negative durations). */
    private static final long MAGNITUDE_LIMIT = Long.MIN_VALUE;

    /** Go checks {@code v > 1<<63/10} before multiplying by ten. */
    private static final long TENTH_OF_LIMIT = Long.divideUnsigned(MAGNITUDE_LIMIT, 10);

    private static final long NANOS_PER_MICRO = 1_000L;
    private static final long NANOS_PER_MILLI = 1_000_000L;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final BigInteger BIG_NANOS_PER_SECOND = BigInteger.valueOf(NANOS_PER_SECOND);

    /** Go's unitMap; both micro signs (U+00B5 and U+03BC) are accepted like in Go. */
    private static final Map<String, Long> UNITS = Map.of(
            "ns", 1L,
            "us", NANOS_PER_MICRO,
            "\u00b5s", NANOS_PER_MICRO,
            "\u03bcs", NANOS_PER_MICRO,
            "ms", NANOS_PER_MILLI,
            "s", NANOS_PER_SECOND,
            "m", 60 * NANOS_PER_SECOND,
            "h", 3600 * NANOS_PER_SECOND);

    private GoDuration() {
    }

    /**
     * Parses a Go duration string such as {@code "1h30m"}, {@code "1.5s"} or {@code "-300ms"}.
     *
     * @throws ConfigException naming the string when it is not a valid Go duration
     */
    public static Duration parse(String text) throws ConfigException {
        Objects.requireNonNull(text, "text");
        int length = text.length();
        int i = 0;
        boolean negative = false;
        if (length > 0 && (text.charAt(0) == '-' || text.charAt(0) == '+')) {
            negative = text.charAt(0) == '-';
            i = 1;
        }
        // Go special case: a bare zero needs no unit.
        if (length - i == 1 && text.charAt(i) == '0') {
            return Duration.ZERO;
        }
        if (i == length) {
            throw invalid(text, length == 0 ? "empty string" : "expected a number after the sign");
        }
        long total = 0; // unsigned, never above MAGNITUDE_LIMIT
        while (i < length) {
            char first = text.charAt(i);
            if (first != '.' && !isDigit(first)) {
                throw invalid(text, "expected a number at " + Quote.of(text.substring(i)));
            }

            // Whole part: [0-9]*
            int start = i;
            long whole = 0;
            while (i < length && isDigit(text.charAt(i))) {
                if (Long.compareUnsigned(whole, TENTH_OF_LIMIT) > 0) {
                    throw outOfRange(text);
                }
                whole = whole * 10 + (text.charAt(i) - '0');
                if (Long.compareUnsigned(whole, MAGNITUDE_LIMIT) > 0) {
                    throw outOfRange(text);
                }
                i++;
            }
            boolean hasWhole = i > start;

            // Fraction: (\.[0-9]*)? Digits beyond int64 precision are skipped, not an error (as in Go).
            long fraction = 0;
            double scale = 1;
            boolean hasFraction = false;
            if (i < length && text.charAt(i) == '.') {
                i++;
                int fractionStart = i;
                boolean saturated = false;
                while (i < length && isDigit(text.charAt(i))) {
                    int digit = text.charAt(i) - '0';
                    i++;
                    if (saturated) {
                        continue;
                    }
                    if (Long.compareUnsigned(fraction, Long.MAX_VALUE / 10) > 0) {
                        saturated = true;
                        continue;
                    }
                    long next = fraction * 10 + digit;
                    if (Long.compareUnsigned(next, MAGNITUDE_LIMIT) > 0) {
                        saturated = true;
                        continue;
                    }
                    fraction = next;
                    scale *= 10;
                }
                hasFraction = i > fractionStart;
            }
            if (!hasWhole && !hasFraction) {
                throw invalid(text, "expected a number at " + Quote.of(text.substring(start)));
            }

            // Unit: everything up to the next number.
            int unitStart = i;
            while (i < length && text.charAt(i) != '.' && !isDigit(text.charAt(i))) {
                i++;
            }
            if (i == unitStart) {
                throw invalid(text, "missing unit (valid units are ns, us, ms, s, m, h)");
            }
            String unitText = text.substring(unitStart, i);
            Long unit = UNITS.get(unitText);
            if (unit == null) {
                throw invalid(text, "unknown unit " + Quote.of(unitText) + " (valid units are ns, us, ms, s, m, h)");
            }

            if (Long.compareUnsigned(whole, Long.divideUnsigned(MAGNITUDE_LIMIT, unit)) > 0) {
                throw outOfRange(text);
            }
            long nanos = whole * unit;
            if (fraction != 0) {
                // Go does this in float64 and truncates; fraction/scale < 1, so the product is
                // below one unit (at most 3.6e12 ns) and the cast cannot overflow.
                nanos += (long) (unsignedToDouble(fraction) * ((double) unit / scale));
                if (Long.compareUnsigned(nanos, MAGNITUDE_LIMIT) > 0) {
                    throw outOfRange(text);
                }
            }
            // Go adds first and compares afterwards, which can wrap around 2^64 for two terms of
            // exactly 2^63 each; checking before adding avoids that wrap.
            if (Long.compareUnsigned(nanos, MAGNITUDE_LIMIT - total) > 0) {
                throw outOfRange(text);
            }
            total += nanos;
        }
        if (negative) {
            // For a magnitude of exactly 2^63 this wraps to Long.MIN_VALUE, which is the right answer.
            return Duration.ofNanos(-total);
        }
        if (total < 0) { // as signed: the magnitude is 2^63, one more than int64 can hold
            throw outOfRange(text);
        }
        return Duration.ofNanos(total);
    }

    /**
     * Formats like Go's {@code Duration.String()}: {@code 1h30m0s}, {@code 1m30.5s}, {@code 500ms},
     * {@code 1.5µs}, {@code 0s}. Durations beyond Go's range are formatted the same way, with more
     * hours.
     */
    public static String format(Duration duration) {
        Objects.requireNonNull(duration, "duration");
        BigInteger nanos = BigInteger.valueOf(duration.getSeconds())
                .multiply(BIG_NANOS_PER_SECOND)
                .add(BigInteger.valueOf(duration.getNano()));
        String sign = nanos.signum() < 0 ? "-" : "";
        nanos = nanos.abs();

        if (nanos.compareTo(BIG_NANOS_PER_SECOND) < 0) {
            // Below one second Go switches to the largest sub-second unit that keeps a whole number.
            long small = nanos.longValueExact();
            if (small == 0) {
                return "0s";
            }
            if (small < NANOS_PER_MICRO) {
                return sign + small + "ns";
            }
            if (small < NANOS_PER_MILLI) {
                return sign + decimal(small, 3) + "\u00b5s";
            }
            return sign + decimal(small, 6) + "ms";
        }

        BigInteger[] secondsAndNanos = nanos.divideAndRemainder(BIG_NANOS_PER_SECOND);
        BigInteger[] minutesAndSeconds = secondsAndNanos[0].divideAndRemainder(BigInteger.valueOf(60));
        BigInteger[] hoursAndMinutes = minutesAndSeconds[0].divideAndRemainder(BigInteger.valueOf(60));
        long seconds = minutesAndSeconds[1].longValueExact();
        String secondsText = decimal(seconds * NANOS_PER_SECOND + secondsAndNanos[1].longValueExact(), 9) + "s";

        StringBuilder out = new StringBuilder(sign);
        if (hoursAndMinutes[0].signum() > 0) {
            out.append(hoursAndMinutes[0]).append('h');
        }
        if (minutesAndSeconds[0].signum() > 0) {
            out.append(hoursAndMinutes[1]).append('m');
        }
        return out.append(secondsText).toString();
    }

    /** value / 10^digits with the fraction's trailing zeros (and a bare '.') dropped, as Go's fmtFrac. */
    private static String decimal(long value, int digits) {
        long divisor = 1;
        for (int d = 0; d < digits; d++) {
            divisor *= 10;
        }
        String whole = Long.toString(value / divisor);
        long remainder = value % divisor;
        if (remainder == 0) {
            return whole;
        }
        String fraction = String.format("%0" + digits + "d", remainder).replaceFirst("0+$", "");
        return whole + "." + fraction;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** Go's float64(uint64): correctly rounded also for values with the top bit set. */
    private static double unsignedToDouble(long value) {
        if (value >= 0) {
            return value;
        }
        // Halve (keeping the lost bit as a sticky bit so rounding is unchanged), convert, double.
        return ((double) ((value >>> 1) | (value & 1))) * 2.0;
    }

    private static ConfigException invalid(String text, String reason) {
        return new ConfigException("invalid duration " + Quote.of(text) + ": " + reason);
    }

    private static ConfigException outOfRange(String text) {
        return invalid(text, "out of range (the largest duration is 2562047h47m16.854775807s)");
    }
}
