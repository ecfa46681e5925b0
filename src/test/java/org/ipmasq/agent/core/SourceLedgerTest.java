package org.ipmasq.agent.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.ipmasq.agent.config.ParseContext;
import org.ipmasq.agent.config.SourceConfig;
import org.junit.jupiter.api.Test;

/** The ledger parses a source's text once and reuses the result while the text stays the same. */
class SourceLedgerTest {

    private final SourceLedger ledger = new SourceLedger(ParseContext.of(false, false));
    private final TextConfigSource source = new TextConfigSource();

    private SourceConfig inEffect() {
        SourceLedger.Reading reading = ledger.read(List.of(source));
        assertEquals(1, reading.inEffect().size(), reading.toString());
        return reading.inEffect().get(0);
    }

    @Test
    void theSameTextIsNotParsedAgain() {
        source.text = Optional.of("nonMasqueradeCIDRs: [10.0.0.0/8]\n");
        SourceConfig first = inEffect();
        assertSame(first, inEffect(), "an idle pass reuses the parsed version");

        source.text = Optional.of("nonMasqueradeCIDRs: [10.0.0.0/8, 172.16.0.0/12]\n");
        SourceConfig second = inEffect();
        assertNotSame(first, second);
        assertEquals(2, second.nonMasqueradeCidrs().map(List::size).orElse(0));
    }

    @Test
    void aBadEditIsJudgedEveryTimeAndTheLastGoodStays() {
        source.text = Optional.of("nonMasqueradeCIDRs: [10.0.0.0/8]\n");
        SourceConfig good = inEffect();
        source.text = Optional.of("nonMasqueradeCIDRs: [10.0.0.1/8]\n");
        for (int pass = 0; pass < 2; pass++) {
            SourceLedger.Reading reading = ledger.read(List.of(source));
            assertTrue(reading.error().orElseThrow().contains("host bits"), reading.toString());
            assertSame(good, reading.inEffect().get(0));
        }
        source.text = Optional.of("nonMasqueradeCIDRs: [10.0.0.0/8]\n");
        assertSame(good, inEffect(), "back to the good text: nothing new to parse");
    }

    @Test
    void aSourceThatWentAwayIsParsedAfreshWhenItComesBack() {
        source.text = Optional.of("nonMasqueradeCIDRs: [10.0.0.0/8]\n");
        SourceConfig before = inEffect();
        source.text = Optional.empty();
        assertTrue(ledger.read(List.of(source)).inEffect().isEmpty());
        source.text = Optional.of("nonMasqueradeCIDRs: [10.0.0.0/8]\n");
        assertNotSame(before, inEffect());
    }
}
