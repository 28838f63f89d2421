package nmt.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import nmt.InputError;
import nmt.Version;
import nmt.data.TextFiles;
import nmt.decode.Translator;
import nmt.eval.Bleu;
import nmt.eval.BleuScore;
import nmt.eval.BleuTokenizer;
import nmt.eval.ChrF;
import nmt.eval.TranslationScore;
import nmt.modeldir.ModelDirectory;
import nmt.modeldir.TranslationModel;
import nmt.train.Evaluation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Scores a hypothesis file, or a model's translations, against references exactly as sacreBLEU does. */
@Command(name = "evaluate-bleu", mixinStandardHelpOptions = true,
        description = "Corpus (or sentence) BLEU of a hypothesis file, equal to sacreBLEU 2.x; or, with --model and "
                + "--src, translate and report BLEU, chrF2 and the decoding speed.")
public final class EvaluateBleuCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    CommandSpec spec;

    @Mixin
    DebugOption debug;

    @Option(names = "--hyp", paramLabel = "FILE", description = "Hypotheses, one per line.")
    Path hypothesisFile;

    @Option(names = "--model", paramLabel = "DIR",
            description = "Translate --src with this model instead of reading --hyp; repeat it for an ensemble.")
    List<Path> modelDirs;

    @Option(names = "--src", paramLabel = "FILE", description = "Source sentences for --model, line-aligned with --ref.")
    Path sourceFile;

    @Option(names = "--output", paramLabel = "FILE", description = "With --model: also write the translations here.")
    Path output;

    @Mixin
    DecodingOptions decoding;

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
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        if ((hypothesisFile == null) == (modelDirs == null)) {
            throw new ParameterException(spec.commandLine(), "give either --hyp FILE or --model DIR with --src FILE");
        }
        if ((modelDirs == null) != (sourceFile == null)) {
            throw new ParameterException(spec.commandLine(), "--model and --src go together");
        }
        if (modelDirs == null && (decoding.overrides().given() || output != null)) {
            throw new ParameterException(spec.commandLine(), "--beam, --batch-size, --set and --output need --model");
        }
        if (modelDirs != null && sentence) {
            throw new ParameterException(spec.commandLine(), "--sentence scores a --hyp file, not a --model");
        }
        Path scored = hypothesisFile == null ? sourceFile : hypothesisFile;
        List<String> lines = TextFiles.readLines(scored);
        List<List<String>> references = new ArrayList<>();
        for (Path file : referenceFiles) {
            List<String> refs = TextFiles.readLines(file);
            if (refs.size() != lines.size()) {
                throw new InputError((hypothesisFile == null ? "source" : "hypothesis") + " file " + scored + " has "
                        + lines.size() + " lines but reference file " + file + " has " + refs.size());
            }
            references.add(refs);
        }
        Bleu bleu = new Bleu(tokenizer, lowercase, Version.signatureTag());
        PrintWriter out = spec.commandLine().getOut();
        if (modelDirs != null) {
            TranslationScore result = translateAndScore(lines, references, bleu);
            if (output != null) {
                Files.write(output, result.hypotheses(), StandardCharsets.UTF_8);
            }
            if (json) {
                out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(result.toJson()));
            } else {
                result.report().forEach(out::println);
            }
            out.flush();
            return 0;
        }
        List<String> hypotheses = lines;
        if (sentence) {
            for (int i = 0; i < hypotheses.size(); i++) {
                List<String> refs = new ArrayList<>(references.size());
                for (List<String> refSet : references) {
                    refs.add(refSet.get(i));
                }
                BleuScore score = bleu.sentenceScore(hypotheses.get(i), refs);
                out.println(json ? JSON.writeValueAsString(score.toJson()) : score.format());
            }
            if (!json) {
                out.println(bleu.signature(references.size(), true));
            }
        } else {
            BleuScore score = bleu.corpusScore(hypotheses, references);
            if (json) {
                out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(score.toJson()));
            } else {
                out.println(score.format());
                out.println(score.signature());
            }
        }
        out.flush();
        return 0;
    }

    private TranslationScore translateAndScore(List<String> sources, List<List<String>> references, Bleu bleu) {
        try (TranslationModel model = ModelDirectory.load(modelDirs, decoding.overrides().asSettings())) {
            return Evaluation.translateAndScore(Translator.of(model), sources, sourceFile.toString(), references, bleu,
                    new ChrF(lowercase, Version.signatureTag()));
        }
    }
}
