package org.ipmasq.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class GoDurationTest {

    @ParameterizedTest(name = "{0} = {1} ns")
    @CsvSource(delimiter = '|', value = {
            "500ms | 500000000",
            "5s | 5000000000",
            "5m | 300000000000",
            "1h30m | 5400000000000",
            "1m30.5s | 90500000000",
            "1.5h | 5400000000000",
            ".5s | 500000000",
            "1.s | 1000000000",
            "0 | 0",
            "+0 | 0",
            "-0 | 0",
            "0s | 0",
            "-1s | -1000000000",
            "+5s | 5000000000",
            "1\u00b5s | 1000",
            "1\u03bcs | 1000",
            "1us | 1000",
            "300ns | 300",
            "1h1m1s1ms1us1ns | 3661001001001",
            "2h45m | 9900000000000",
            "1.000000001s | 1000000001",
            "1.0000000019s | 1000000001", // fractional nanoseconds are truncated, as in Go
            // Cases from Go's own test table: float64 corner cases and the int64 limits.
            "0.100000000000000000000h | 360000000000",
            "0.830103483285477580700h | 2988372539827",
            "9007199254740993ns | 9007199254740993",
            "9223372036854775.807us | 9223372036854775807",
            "9223372036s854ms775us807ns | 9223372036854775807",
            "-9223372036854775.808us | -9223372036854775808",
            "-2562047h47m16.854775808s | -9223372036854775808",
            "100.00100s | 100001000000",
            "-1.5h | -5400000000000",
            "9223372036854775807ns | 9223372036854775807",
            "-9223372036854775808ns | -9223372036854775808",
            "2562047h47m16.854775807s | 9223372036854775807",
    })
    void parsesValidGoDurations(String text, long nanos) throws ConfigException {
        assertEquals(Duration.ofNanos(nanos), GoDuration.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "5", "5d", "1 s", " 1s", "1s ", "s", ".s", "-", "+", "-.s", ".", "1.5", "1h5",
            "9999999999h", "3000000h", "9223372036854775808ns", "9223372036854775.808us", "9223372036854ms775us808ns", "2562048h", "2562047h47m16.854775808s",
            "9223372036854775808ns9223372036854775808ns", "99999999999999999999ns", "1S", "1H", "1sec", "1e3s", "1,5s",
            "--1s", "+-1s", "1\u00b5", "\u00b5s", "\uff11s"})
    void rejectsInvalidDurationsNamingTheString(String text) {
        ConfigException e = assertThrows(ConfigException.class, () -> GoDuration.parse(text));
        assertTrue(e.getMessage().startsWith("invalid duration " + Quote.of(text) + ": "), e.getMessage());
    }

    @Test
    void explainsWhatIsWrong() {
        assertEquals("invalid duration \"5d\": unknown unit \"d\" (valid units are ns, us, ms, s, m, h)",
                message("5d"));
        assertEquals("invalid duration \"5\": missing unit (valid units are ns, us, ms, s, m, h)", message("5"));
        assertEquals("invalid duration \"\": empty string", message(""));
        assertEquals("invalid duration \"1 s\": unknown unit \" s\" (valid units are ns, us, ms, s, m, h)",
                message("1 s"));
        assertEquals("invalid duration \"9999999999h\": out of range (the largest duration is 2562047h47m16.854775807s)",
                message("9999999999h"));
        assertEquals("invalid duration \".s\": expected a number at \".s\"", message(".s"));
    }

    @ParameterizedTest(name = "{0} ns formats as {1}")
    @CsvSource(delimiter = '|', value = {
            "0 | 0s",
            "1 | 1ns",
            "999 | 999ns",
            "1000 | 1\u00b5s",
            "1500 | 1.5\u00b5s",
            "1100000 | 1.1ms",
            "500000000 | 500ms",
            "1000000000 | 1s",
            "90500000000 | 1m30.5s",
            "5400000000000 | 1h30m0s",
            "3600000000000 | 1h0m0s",
            "60000000000 | 1m0s",
            "3661001001001 | 1h1m1.001001001s",
            "-1500000000 | -1.5s",
            "-1 | -1ns",
            "9223372036854775807 | 2562047h47m16.854775807s",
            "-9223372036854775808 | -2562047h47m16.854775808s",
    })
    void formatsLikeGo(long nanos, String expected) {
        assertEquals(expected, GoDuration.format(Duration.ofNanos(nanos)));
    }

    @Test
    void formatHandlesDurationsBeyondGosRange() {
        assertEquals("3000000h0m0s", GoDuration.format(Duration.ofHours(3_000_000)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1h30m0s", "1m30.5s", "500ms", "0s", "1.5\u00b5s", "300ns", "-2h0m0.000000001s",
            "2562047h47m16.854775807s"})
    void formatAndParseRoundTrip(String text) throws ConfigException {
        Duration parsed = GoDuration.parse(text);
        assertEquals(text, GoDuration.format(parsed));
        assertEquals(parsed, GoDuration.parse(GoDuration.format(parsed)));
    }

    private static String message(String text) {
        return assertThrows(ConfigException.class, () -> GoDuration.parse(text)).getMessage();
    }
}
