package nmt.engine;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.pytorch.jni.LibUtils;
import ai.djl.util.cuda.CudaUtils;
import java.io.IOException;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What the PyTorch engine runs on, for {@code nmt doctor}: versions, where libtorch and DJL's JNI
 * were loaded from (read from the process's memory map on Linux, since DJL does not say), whether
 * the libtorch is a CUDA build, the GPUs it sees, its threads, and whether {@code device: "gpu"}
 * would work.
 *
 * @param libtorch        the folder DJL loaded libtorch from
 * @param requested       PYTORCH_LIBRARY_PATH (a variable, or a property set from NMT_TORCH_HOME), or null
 * @param jni             the libdjl_torch file loaded, or null where the memory map cannot be read
 * @param cudaBuild       whether the loaded libtorch has CUDA kernels (libtorch_cuda is mapped)
 * @param cudaVersion     the CUDA runtime DJL finds, e.g. "13.0", or null
 */
public record EngineReport(String djlVersion, String engineVersion, String libtorch, String requested,
                           String jni, boolean cudaBuild, String cudaVersion, List<Gpu> gpus, int intraOpThreads,
                           int interOpThreads) {

    /** One visible GPU: its index, compute capability and memory in MiB. */
    public record Gpu(int index, String computeCapability, long memoryMiB) {
    }

    /** Whether the libtorch loaded is the one PYTORCH_LIBRARY_PATH names (DJL falls back to its own when it is not there). */
    public boolean fromEnvironment() {
        return requested != null && Engines.loadedFrom(libtorch, requested);
    }

    /** Whether {@code device: "gpu"} would run on a GPU. */
    public boolean gpuUsable() {
        return !gpus.isEmpty();
    }

    /** Starts the engine (or fails with one line saying how to fix it) and reads what it runs on. */
    public static EngineReport read() {
        Engine engine = Engines.pytorch();
        List<String> maps = memoryMap();
        List<Gpu> gpus = new ArrayList<>();
        for (int i = 0; i < engine.getGpuCount(); i++) {
            MemoryUsage memory = CudaUtils.getGpuMemory(Device.gpu(i));
            gpus.add(new Gpu(i, CudaUtils.getComputeCapability(i), memory.getMax() >> 20));
        }
        return new EngineReport(Engine.getDjlVersion(), engine.getVersion(), LibUtils.getLibtorchPath(),
                Engines.requestedLibraryPath(), mapped(maps, "libdjl_torch"),
                mapped(maps, "libtorch_cuda") != null, CudaUtils.hasCuda() ? CudaUtils.getCudaVersionString() : null,
                gpus, JniUtils.getNumThreads(), JniUtils.getNumInteropThreads());
    }

    private static List<String> memoryMap() {
        try {
            return Files.readAllLines(Path.of("/proc/self/maps"));
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    /** The first mapped file whose name has this in it (DJL prefixes its version: 0.35.0-libdjl_torch.so), or null. */
    private static String mapped(List<String> maps, String name) {
        for (String line : maps) {
            int slash = line.indexOf('/');
            if (slash >= 0) {
                String file = line.substring(slash);
                if (Path.of(file).getFileName().toString().contains(name)) {
                    return file;
                }
            }
        }
        return null;
    }
}
