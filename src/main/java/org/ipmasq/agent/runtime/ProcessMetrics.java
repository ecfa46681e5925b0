package org.ipmasq.agent.runtime;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.OperatingSystemMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * The few runtime series a default install exports, under the names the Prometheus process
 * collector uses (and the original Go agent exported), so a dashboard made for it keeps working:
 * CPU time, resident memory, open and allowed file descriptors; plus the Java heap in use, the
 * one JVM number worth watching against -Xmx. Series a platform cannot give are not registered
 * (Windows has no /proc and no file descriptor counts). Everything else Micrometer can tell
 * about the JVM, Netty and Vert.x is off by default; see {@link MetricsSelection}.
 */
@ApplicationScoped
public class ProcessMetrics {

    /** Micrometer names of the series registered here; {@link MetricsSelection} lets these through. */
    static final Set<String> NAMES = Set.of("process_cpu_seconds", "process_resident_memory_bytes",
            "process_open_fds", "process_max_fds", "jvm_heap_used_bytes");
    private static final Path PROC_STATUS = Path.of("/proc/self/status");

    @Inject
    MeterRegistry registry;

    void onStart(@Observes StartupEvent started) {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean process) {
            FunctionCounter.builder("process_cpu_seconds", process, p -> p.getProcessCpuTime() / 1e9)
                    .description("CPU time used by the agent's JVM, user and system").register(registry);
        }
        if (os instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            Gauge.builder("process_open_fds", unix, u -> u.getOpenFileDescriptorCount())
                    .description("Open file descriptors").register(registry);
            Gauge.builder("process_max_fds", unix, u -> u.getMaxFileDescriptorCount())
                    .description("Limit of open file descriptors").register(registry);
        }
        if (residentBytes() >= 0) {
            Gauge.builder("process_resident_memory_bytes", ProcessMetrics::residentBytes)
                    .description("Resident set size: the memory a container limit is held against").register(registry);
        }
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        Gauge.builder("jvm_heap_used_bytes", memory, m -> m.getHeapMemoryUsage().getUsed())
                .description("Java heap in use (all heap pools)").register(registry);
    }

    /** VmRSS from /proc/self/status, in bytes; -1 where there is no /proc (Windows). */
    static double residentBytes() {
        try {
            for (String line : Files.readAllLines(PROC_STATUS)) {
                if (line.startsWith("VmRSS:")) {
                    String[] words = line.substring("VmRSS:".length()).trim().split("\\s+");
                    return Long.parseLong(words[0]) * 1024.0; // the kernel prints kB
                }
            }
            return -1;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
