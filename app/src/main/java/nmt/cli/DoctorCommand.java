package nmt.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import nmt.Version;
import nmt.engine.EngineReport;
import nmt.engine.MatmulPrecision;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Says what the PyTorch engine runs on; exits non-zero, with the fix in one line, when it cannot start. */
@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = "Show the DJL and PyTorch versions, where libtorch and DJL's JNI were loaded from, the CPU or "
                + "CUDA build, visible GPUs, threads, and whether device \"gpu\" would work.")
public final class DoctorCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    DebugOption debug;

    @Option(names = "--json", description = "Print one JSON object instead of lines.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        EngineReport r = EngineReport.read();
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("nmt", Version.VERSION);
        report.put("djl", r.djlVersion());
        report.put("pytorch", r.engineVersion());
        report.put("libtorch", r.libtorch());
        report.put("libtorch_from", r.fromEnvironment() ? "PYTORCH_LIBRARY_PATH"
                : r.requested() == null ? "the bundled pytorch-native-cpu"
                : "the bundled pytorch-native-cpu: PYTORCH_LIBRARY_PATH " + r.requested() + " has no libtorch DJL can load");
        report.put("jni", r.jni());
        report.put("build", r.cudaBuild() ? "CUDA" : "CPU");
        report.put("cuda", r.cudaVersion());
        report.put("gpus", r.gpus());
        report.put("intra_op_threads", r.intraOpThreads());
        report.put("inter_op_threads", r.interOpThreads());
        report.put("matmul_precision", MatmulPrecision.current()
                .orElse("highest (fixed: the engine in use has no libnmt_torch.so; app/scripts/local-torch.sh builds one)"));
        report.put("device_gpu", r.gpuUsable() ? "works" : "no GPU visible: build NMT_TORCH_HOME from a CUDA PyTorch "
                + "with app/scripts/local-torch.sh (README: \"Engines and GPUs\")");
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(new ObjectMapper().writeValueAsString(report));
        } else {
            report.forEach((key, value) -> out.printf("%-17s %s%n", key, value == null ? "-" : value));
        }
        out.flush();
        return 0;
    }
}
