package nmt.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Resident set size of this process (Linux /proc), which includes PyTorch's native allocations. */
final class ProcessMemory {
    private ProcessMemory() {
    }

    /** @return RSS in MiB, or -1 where /proc is not available */
    static double rssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    static double heapMb() {
        Runtime r = Runtime.getRuntime();
        return (r.totalMemory() - r.freeMemory()) / (1024.0 * 1024.0);
    }
}
