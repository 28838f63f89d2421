package nmt.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import nmt.InputError;
import nmt.data.TextFiles;
import nmt.eval.Bleu;
import nmt.eval.BleuScore;
import nmt.eval.BleuTokenizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Scores a hypothesis file against references exactly as sacreBLEU does. */
@Command(name = "evaluate-bleu", mixinStandardHelpOptions = true,
        description = "Corpus (or sentence) BLEU of a hypothesis file, equal to sacreBLEU 2.x.")
public final class EvaluateBleuCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    CommandSpec spec;

    @Mixin
    DebugOption debug;

    @Option(names = "--hyp", required = true, paramLabel = "FILE", description = "Hypotheses, one per line.")
    Path hypothesisFile;

    @Option(names = "--ref", required = true, paramLabel = "FILE",
            description = "References, line-aligned with the hypotheses; repeat for several reference sets.")
    List<Path> referenceFiles;

    @Option(names = "--tokenize", defaultValue = "13a", paramLabel = "TOK",
            description = "13a (default), intl, char or none.")
    String tokenize;

    @Option(names = {"--lowercase", "-lc"}, description = "Case-insensitive BLEU.")
    boolean lowercase;

    @Option(names = "--sentence", description = "One sentence BLEU per line (effective order), as sacreBLEU -sl.")
    boolean sentence;

    @Option(names = "--json", description = "Print JSON instead of text.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        BleuTokenizer tokenizer;
        try {
            tokenizer = BleuTokenizer.fromName(tokenize);
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        List<String> hypotheses = TextFiles.readLines(hypothesisFile);
        List<List<String>> references = new ArrayList<>();
        for (Path file : referenceFiles) {
            List<String> refs = TextFiles.readLines(file);
            if (refs.size() != hypotheses.size()) {
                throw new InputError("hypothesis file " + hypothesisFile + " has " + hypotheses.size()
                        + " lines but reference file " + file + " has " + refs.size());
            }
            references.add(refs);
        }
        Bleu bleu = new Bleu(tokenizer, lowercase, Version.signatureTag());
        PrintWriter out = spec.commandLine().getOut();
        if (sentence) {
            for (int i = 0; i < hypotheses.size(); i++) {
                List<String> refs = new ArrayList<>(references.size());
                for (List<String> refSet : references) {
                    refs.add(refSet.get(i));
                }
                BleuScore score = bleu.sentenceScore(hypotheses.get(i), refs);
                out.println(json ? JSON.writeValueAsString(toJson(score)) : score.format());
            }
            if (!json) {
                out.println(bleu.signature(references.size(), true));
            }
        } else {
            BleuScore score = bleu.corpusScore(hypotheses, references);
            if (json) {
                out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(toJson(score)));
            } else {
                out.println(score.format());
                out.println(score.signature());
            }
        }
        out.flush();
        return 0;
    }

    static Map<String, Object> toJson(BleuScore score) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", "BLEU");
        m.put("score", score.score());
        m.put("precisions", score.precisions());
        m.put("counts", score.counts());
        m.put("totals", score.totals());
        m.put("bp", score.bp());
        m.put("ratio", score.ratio());
        m.put("sys_len", score.sysLen());
        m.put("ref_len", score.refLen());
        m.put("signature", score.signature());
        m.put("verbose_score", score.format());
        return m;
    }
}
