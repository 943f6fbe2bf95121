package org.nnunet.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.nnunet.cropping.RawCase;
import org.nnunet.dataset.DatasetIntegrityChecker;
import org.nnunet.dataset.DatasetJson;
import org.nnunet.dataset.DecathlonConverter;
import org.nnunet.dataset.NnUNetPaths;
import org.nnunet.dataset.RawDataset;
import org.nnunet.dataset.TaskName;
import org.nnunet.ensembling.SoftmaxEnsembler;
import org.nnunet.evaluation.EvaluationSummary;
import org.nnunet.evaluation.FolderEvaluator;
import org.nnunet.image.Volume;
import org.nnunet.inference.ModelPredictor;
import org.nnunet.modelselection.ModelSelection;
import org.nnunet.nifti.NiftiIO;
import org.nnunet.planning.ExperimentPlanner2D;
import org.nnunet.planning.ExperimentPlanner3D;
import org.nnunet.planning.PlanAndPreprocess;
import org.nnunet.planning.PlansIO;
import org.nnunet.postprocessing.PostprocessingPlan;
import org.nnunet.preprocessing.PlansPreprocessing;
import org.nnunet.training.NnUNetTrainerV2;
import org.nnunet.training.TrainerCheckpoint;
import org.nnunet.training.TrainerSettings;

/**
 * The README's "how to run nnU-Net on a new dataset" as one local run: convert (a Decathlon {@code TaskXX_NAME}
 * folder; an nnU-Net raw {@code TaskXXX_NAME} folder is linked as is) -> verify integrity -> plan and preprocess ->
 * train (and validate) every selected configuration and fold -> find the best configuration (only when all 5 folds of
 * at least one configuration exist) -> predict {@code imagesTs} -> evaluate -> {@code WORK_DIR/report.html}.
 *
 * <p>Steps whose output exists are skipped (a trained {@code model_final_checkpoint}, a validated fold, plans), so a
 * stopped run can be started again with the same command.
 */
public final class LocalPipeline {
    private static final List<Integer> ALL_FOLDS = List.of(0, 1, 2, 3, 4);

    /** Pipeline options; nnU-Net's defaults are all five folds, 1000 epochs of 250 iterations, 50 val batches. */
    public record Settings(Path input, Path workDir, NnUNetPaths paths, List<String> configurations,
                           List<Integer> folds, int epochs, int iterations, int valIterations, int threads,
                           boolean tta) {}

    /** What a run produced. */
    public record Result(TaskName task, Path report, Path predictions, List<PipelineReport.DiceRow> dice,
                         String bestConfiguration) {}

    private final Settings s;
    private final Consumer<String> log;
    private final PipelineReport report;
    private final long started = System.nanoTime();

    public LocalPipeline(Settings settings, Consumer<String> log) {
        this.s = settings;
        this.log = log;
        this.report = new PipelineReport("nnU-Net pipeline: " + settings.input().getFileName());
    }

    public Result run() throws IOException {
        NnUNetPaths paths = s.paths();
        report.setting("input", s.input().toString());
        report.setting("work dir", s.workDir().toString());
        report.setting("configurations", String.join(" ", s.configurations()));
        report.setting("folds", s.folds().toString());
        report.setting("budget", s.epochs() + " epochs x " + s.iterations() + " iterations (" + s.valIterations()
                + " validation batches per epoch)");
        report.setting("machine", Runtime.getRuntime().availableProcessors() + " cores, max heap "
                + Runtime.getRuntime().maxMemory() / (1 << 20) + " MB");

        TaskName task = timed("1/7 convert", this::convert);
        Path rawTask = paths.rawTask(task);
        Path preprocessed = paths.preprocessedTask(task);
        DatasetJson datasetJson = DatasetJson.read(rawTask.resolve("dataset.json"));
        datasetJson.labels().forEach((k, v) -> {
            if (!k.equals("0")) {
                report.className(Integer.parseInt(k), v);
            }
        });
        timed("2/7 verify dataset integrity", () -> {
            String d = new DatasetIntegrityChecker(s.threads()).verify(rawTask).describe();
            log.accept(d);
            return d.lines().findFirst().orElse("ok");
        });
        timed("3/7 plan and preprocess", () -> planAndPreprocess(task, rawTask, preprocessed));
        timed("4/7 train", () -> train(task, preprocessed));
        ModelSelection.Result selection = timed("5/7 find best configuration", () -> selectModel(task));
        String best = selection != null ? selection.best() : s.configurations().get(0);
        Path predictions = s.workDir().resolve("predictionsTs");
        boolean predicted = timed("6/7 predict imagesTs", () -> predictTestSet(task, rawTask, preprocessed, best,
                predictions));
        timed("7/7 evaluate", () -> evaluate(task, selection));
        overlays(rawTask, predicted ? predictions : null, task);
        report.setting("total time", String.format("%.1f min", (System.nanoTime() - started) / 60e9));
        Path html = s.workDir().resolve("report.html");
        report.write(html);
        log.accept("report: " + html);
        return new Result(task, html, predicted ? predictions : null, report.diceRows(), best);
    }

    private TaskName convert() throws IOException {
        Path in = s.input().toAbsolutePath().normalize();
        String name = in.getFileName().toString();
        if (name.matches("Task\\d{3}_.+")) {
            TaskName task = TaskName.parse(name);
            Path target = s.paths().rawTask(task);
            if (!Files.exists(target)) {
                Files.createDirectories(target.getParent());
                Files.createSymbolicLink(target, in);
                log.accept("linked raw task " + in + " as " + target);
            }
            return task;
        }
        if (!name.matches("Task\\d{2}_.+")) {
            throw new IOException(in + ": expected a Decathlon TaskXX_NAME folder or an nnU-Net raw TaskXXX_NAME "
                    + "folder");
        }
        TaskName task = new TaskName(Integer.parseInt(name.substring(4, 6)), name.substring(7));
        if (Files.isRegularFile(s.paths().rawTask(task).resolve("dataset.json"))) {
            log.accept("already converted: " + s.paths().rawTask(task));
            return task;
        }
        DecathlonConverter.Summary c = DecathlonConverter.convert(in, s.paths().rawData(), null, s.threads());
        log.accept("converted " + c.trainingCases() + " training and " + c.testCases() + " test cases into "
                + c.outputFolder());
        return c.task();
    }

    private String planAndPreprocess(TaskName task, Path rawTask, Path preprocessed) throws IOException {
        boolean need3d = s.configurations().stream().anyMatch(c -> c.startsWith("3d"));
        boolean need2d = s.configurations().contains("2d");
        boolean have3d = Files.isRegularFile(preprocessed.resolve(PlansIO.PLANS_3D));
        boolean have2d = Files.isRegularFile(preprocessed.resolve(PlansIO.PLANS_2D));
        if ((!need3d || have3d) && (!need2d || have2d)) {
            log.accept("plans exist in " + preprocessed + ": not planning again");
        } else {
            RawDataset dataset = RawDataset.open(rawTask);
            List<RawCase> cases = dataset.trainingCases().stream()
                    .map(c -> new RawCase(c.id(), c.images(), c.label())).toList();
            Map<Integer, String> modalities = new LinkedHashMap<>();
            dataset.datasetJson().modality().forEach((k, v) -> modalities.put(Integer.parseInt(k), v));
            new PlanAndPreprocess(cases, rawTask.resolve("dataset.json"), dataset.datasetJson().labels(), modalities,
                    s.paths().croppedTask(task), preprocessed, s.threads(), s.threads(), need3d, need2d)
                    .run(new PlansPreprocessing(), log);
        }
        if (need3d) {
            report.plans(PlansIO.read(preprocessed.resolve(PlansIO.PLANS_3D)).planSummary(ExperimentPlanner3D.NAME));
        }
        if (need2d) {
            report.plans(PlansIO.read(preprocessed.resolve(PlansIO.PLANS_2D)).planSummary(ExperimentPlanner2D.NAME));
        }
        return "plans in " + preprocessed;
    }

    private String train(TaskName task, Path preprocessed) throws IOException {
        Path gt = preprocessed.resolve("gt_segmentations");
        boolean npz = s.configurations().size() > 1; // the pair ensembles of model selection need the softmax
        int trained = 0;
        for (String config : s.configurations()) {
            if (config.equals("3d_lowres")
                    && PlansIO.read(preprocessed.resolve(PlansIO.PLANS_3D)).numStages() == 1) {
                String why = "3d_lowres skipped: the plans have one stage, this task does not need the cascade";
                log.accept(why);
                report.note(why);
                continue;
            }
            for (int fold : s.folds()) {
                Path foldDir = modelFolder(config, task).resolve("fold_" + fold);
                TrainerSettings ts = new TrainerSettings(config, fold, s.epochs(), s.iterations(), s.valIterations(),
                        50, 2, 12345, "cpu", npz);
                boolean done = TrainerCheckpoint.exists(foldDir, "model_final_checkpoint");
                boolean validated = Files.isRegularFile(foldDir.resolve("validation_raw")
                        .resolve(FolderEvaluator.SUMMARY));
                log.accept("== " + config + " fold " + fold + (done ? ": trained" : "")
                        + (validated ? ", validated" : ""));
                if (!done || !validated) {
                    try (NnUNetTrainerV2 trainer = new NnUNetTrainerV2(ts, preprocessed, foldDir, log)) {
                        if (done) {
                            trainer.loadWeights("model_final_checkpoint");
                        } else {
                            trainer.loadLatestCheckpoint();
                            trainer.train();
                            trained++;
                        }
                        trainer.validate(gt);
                    }
                }
                Path png = foldDir.resolve("progress.png");
                if (Files.isRegularFile(png)) {
                    report.trainingCurve(config + " fold " + fold, png);
                }
            }
        }
        return trained + " fold(s) trained";
    }

    private ModelSelection.Result selectModel(TaskName task) throws IOException {
        List<String> complete = new ArrayList<>();
        for (String config : s.configurations()) {
            boolean all = true;
            for (int f : ALL_FOLDS) {
                all &= Files.isRegularFile(modelFolder(config, task).resolve("fold_" + f).resolve("validation_raw")
                        .resolve(FolderEvaluator.SUMMARY));
            }
            if (all) {
                complete.add(config);
            }
        }
        if (complete.isEmpty()) {
            String why = "model selection skipped: no configuration has all 5 folds trained (folds " + s.folds()
                    + " of " + String.join(", ", s.configurations()) + "); nnUNet_find_best_configuration scores the "
                    + "pooled 5-fold cross-validation. Without it there is no postprocessing.json, so predictions are "
                    + "not postprocessed, and the Dice below is of the trained folds' validation cases.";
            log.accept(why);
            report.note(why);
            return null;
        }
        ModelSelection.Result r = new ModelSelection(s.paths(), log).run(task, complete, ALL_FOLDS, false, true);
        report.note("best configuration: " + r.best() + "; predict with:\n" + r.predictionCommands());
        return r;
    }

    private boolean predictTestSet(TaskName task, Path rawTask, Path preprocessed, String best, Path out)
            throws IOException {
        Path imagesTs = rawTask.resolve("imagesTs");
        if (!Files.isDirectory(imagesTs) || FolderEvaluator.niftiNames(imagesTs).isEmpty()) {
            log.accept("no imagesTs: nothing to predict");
            return false;
        }
        if (best.startsWith("ensemble_")) {
            String[] models = best.substring("ensemble_".length()).split("--");
            List<Path> folders = new ArrayList<>();
            for (String m : models) {
                String config = m.split("__")[0];
                Path folder = s.workDir().resolve("predictionsTs_" + config);
                predictWith(task, preprocessed, config, imagesTs, folder, true);
                folders.add(folder);
            }
            Path pp = new ModelSelection(s.paths(), log).ensemblesFolder(task).resolve(best)
                    .resolve(PostprocessingPlan.FILE_NAME);
            Path raw = s.workDir().resolve("predictionsTs_ensemble_raw");
            new SoftmaxEnsembler().merge(folders, raw, PostprocessingPlan.read(pp), false);
            copyFolder(raw.resolveSibling(raw.getFileName() + "_postprocessed"), out);
        } else {
            predictWith(task, preprocessed, best, imagesTs, out, false);
        }
        return true;
    }

    private void predictWith(TaskName task, Path preprocessed, String config, Path in, Path out, boolean npz)
            throws IOException {
        ModelPredictor.Options o = new ModelPredictor.Options(null, "model_final_checkpoint", 0.5, s.tta(), npz,
                true);
        try (ModelPredictor p = ModelPredictor.fromModelFolder(preprocessed, config, modelFolder(config, task), o, log)) {
            p.predictFolder(in, out);
        }
    }

    private String evaluate(TaskName task, ModelSelection.Result selection) throws IOException {
        for (String config : s.configurations()) {
            for (int fold : s.folds()) {
                Path summary = modelFolder(config, task).resolve("fold_" + fold).resolve("validation_raw")
                        .resolve(FolderEvaluator.SUMMARY);
                if (Files.isRegularFile(summary)) {
                    EvaluationSummary e = EvaluationSummary.read(summary);
                    PipelineReport.DiceRow row = new PipelineReport.DiceRow(config, "fold " + fold + " validation",
                            e.all().size(), foreground(e));
                    report.dice(row);
                    log.accept(String.format("%s fold %d validation (%d cases): Dice %s", config, fold,
                            e.all().size(), row.dicePerClass()));
                }
            }
        }
        if (selection != null) {
            selection.perClassDice().forEach((name, d) -> report.dice(new PipelineReport.DiceRow(name,
                    "5-fold cross-validation (raw)", -1, d)));
        }
        return report.diceRows().size() + " Dice rows";
    }

    private static Map<Integer, Double> foreground(EvaluationSummary e) {
        Map<Integer, Double> d = new java.util.TreeMap<>();
        for (String k : e.mean().keySet()) {
            if (k.matches("\\d+") && !k.equals("0")) {
                d.put(Integer.parseInt(k), e.meanDice(Integer.parseInt(k)));
            }
        }
        return d;
    }

    /** Up to three axial slices: test predictions over their first modality, else fold-0 validation predictions. */
    private void overlays(Path rawTask, Path predictions, TaskName task) throws IOException {
        Path predFolder = predictions;
        Path imageFolder = rawTask.resolve("imagesTs");
        if (predFolder == null) {
            predFolder = modelFolder(s.configurations().get(0), task).resolve("fold_" + s.folds().get(0))
                    .resolve("validation_raw");
            imageFolder = rawTask.resolve("imagesTr");
        }
        if (!Files.isDirectory(predFolder)) {
            return;
        }
        List<String> names = FolderEvaluator.niftiNames(predFolder);
        for (String n : names.subList(0, Math.min(3, names.size()))) {
            String id = n.substring(0, n.length() - 7);
            Path image = imageFolder.resolve(DatasetJson.modalityFileName(id, 0));
            if (!Files.isRegularFile(image)) {
                continue;
            }
            Volume img = NiftiIO.read(image);
            Volume seg = NiftiIO.read(predFolder.resolve(n));
            int[] labels = new int[seg.data().length];
            for (int i = 0; i < labels.length; i++) {
                labels[i] = Math.round(seg.data()[i]);
            }
            int z = SliceOverlay.sliceWithLargestLabelArea(labels, seg.shape());
            report.overlay(new PipelineReport.Figure(id + " (slice z=" + z + ")",
                    SliceOverlay.pngBase64(SliceOverlay.render(img.data(), labels, seg.shape(), z, 256))));
        }
    }

    private Path modelFolder(String config, TaskName task) {
        return new ModelSelection(s.paths(), log).modelFolder(config, task);
    }

    private static void copyFolder(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve(f.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    private interface Step<T> {
        T run() throws IOException;
    }

    private <T> T timed(String name, Step<T> step) throws IOException {
        log.accept("\n######## " + name + " ########");
        long t0 = System.nanoTime();
        T result = step.run();
        double sec = (System.nanoTime() - t0) / 1e9;
        String outcome = result == null ? "skipped" : result instanceof String str ? str
                : result instanceof Boolean b ? (b ? "done" : "nothing to do") : "done";
        report.step(name, String.format("%s (%.1f s)", outcome, sec));
        log.accept(String.format("%s: %.1f s", name, sec));
        return result;
    }
}
