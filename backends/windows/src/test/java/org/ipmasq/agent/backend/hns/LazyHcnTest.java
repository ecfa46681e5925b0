package org.ipmasq.agent.backend.hns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class LazyHcnTest {

    @Test
    void loadsOnFirstUseAndOnlyOnce() throws Exception {
        int[] loads = {0};
        FakeHcn real = new FakeHcn();
        LazyHcn lazy = new LazyHcn(() -> {
            loads[0]++;
            return real;
        });
        assertEquals(0, loads[0], "nothing is loaded before the first call");

        assertEquals(List.of(), lazy.listEndpointIds());
        lazy.listEndpointIds();

        assertEquals(1, loads[0]);
    }

    @Test
    void aFailedLoadIsReportedByEveryCallAndRetried() {
        int[] loads = {0};
        HcnException missing = HcnException.libraryMissing(new UnsatisfiedLinkError("Unable to load library 'computenetwork'"));
        LazyHcn lazy = new LazyHcn(() -> {
            loads[0]++;
            throw missing;
        });

        assertSame(missing, assertThrows(HcnException.class, lazy::listEndpointIds));
        assertSame(missing, assertThrows(HcnException.class, () -> lazy.queryEndpoint("x")));

        assertEquals(2, loads[0]);
    }
}
