package org.nnunet.pipeline;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.nnunet.cropping.CroppedCase;
import org.nnunet.cropping.ImageCropper;
import org.nnunet.cropping.RawCase;
import org.nnunet.inference.CasePredictor;
import org.nnunet.inference.ExportProperties;
import org.nnunet.inference.FoldEnsemblePredictor;
import org.nnunet.inference.PredictionInputFolder;
import org.nnunet.inference.SegmentationExporter;
import org.nnunet.inference.SlidingWindowPredictor;
import org.nnunet.inference.V1SoftmaxResampler;
import org.nnunet.network.GenericUNet;
import org.nnunet.network.NetworkDevice;
import org.nnunet.network.NetworkPatchPredictor;
import org.nnunet.planning.Plans;
import org.nnunet.planning.PlansIO;
import org.nnunet.postprocessing.PostprocessingPlan;
import org.nnunet.postprocessing.Postprocessor;
import org.nnunet.preprocessing.CasePreprocessor;
import org.nnunet.preprocessing.PlansPreprocessing;
import org.nnunet.preprocessing.PreprocessedCase;
import org.nnunet.training.TrainedNetwork;

/**
 * v1.7.1 {@code predict_simple} / {@code predict_from_folder} / {@code predict_cases} for one trained model folder
 * ({@code RESULTS_FOLDER/nnUNet/CONFIG/TASK/nnUNetTrainerV2__nnUNetPlansv2.1}): loads the checkpoint of every
 * selected fold, then per case crops like training ({@code ImageCropper}), preprocesses with the plans' stage of the
 * configuration, predicts the mean softmax of the folds (sliding window, Gaussian, mirroring TTA unless disabled),
 * exports at the input's geometry and applies the model folder's {@code postprocessing.json} (written by
 * {@code consolidate_folds}) unless disabled.
 *
 * <p>Difference from v1: the plans are read from {@code nnUNet_preprocessed/TASK} (our trainer does not copy a
 * {@code plans.pkl} into the model folder).
 */
public final class ModelPredictor implements AutoCloseable {

    /** Prediction options ({@code nnUNet_predict} flags). */
    public record Options(List<Integer> folds, String checkpoint, double stepSize, boolean tta,
                          boolean saveNpz, boolean postprocessing) {
        /** nnU-Net's defaults: all folds found, model_final_checkpoint, step 0.5, TTA, postprocessing. */
        public static Options defaults() {
            return new Options(null, "model_final_checkpoint", 0.5, true, false, true);
        }
    }

    private final Plans plans;
    private final String configuration;
    private final Path modelFolder;
    private final Options options;
    private final Consumer<String> log;
    private final NDManager manager;
    private final List<Integer> folds;
    private final CasePredictor predictor;
    private final CasePreprocessor preprocessor;

    /**
     * @param preprocessedTask {@code nnUNet_preprocessed/TaskXXX_NAME} (for the plans)
     * @param modelFolder      {@code .../CONFIG/TaskXXX_NAME/nnUNetTrainerV2__nnUNetPlansv2.1}
     */
    public ModelPredictor(Path preprocessedTask, String configuration, Path modelFolder, Options options,
                          Consumer<String> log) throws IOException {
        if ("3d_cascade_fullres".equals(configuration)) {
            throw new IllegalArgumentException("3d_cascade_fullres prediction is not available in this build");
        }
        boolean twoD = "2d".equals(configuration);
        Path plansFile = preprocessedTask.resolve(twoD ? PlansIO.PLANS_2D : PlansIO.PLANS_3D);
        if (!Files.isRegularFile(plansFile)) {
            throw new IOException(plansFile + ": plans not found (run nnUNet_plan_and_preprocess)");
        }
        this.plans = PlansIO.read(plansFile);
        this.configuration = configuration;
        this.modelFolder = modelFolder;
        this.options = options;
        this.log = log;
        this.folds = options.folds() == null ? availableFolds(modelFolder) : List.copyOf(options.folds());
        if (folds.isEmpty()) {
            throw new IOException(modelFolder + ": no fold_N folder with a trained model (run nnUNet_train)");
        }
        log.accept("using folds " + folds + " of " + modelFolder + " (" + options.checkpoint() + ")");
        int[] patch = plans.stage(plans.stageIndexFor(configuration)).patchSize();
        SlidingWindowPredictor.Settings defaults = SlidingWindowPredictor.Settings.defaults(patch.length);
        SlidingWindowPredictor.Settings sw = new SlidingWindowPredictor.Settings(options.stepSize(), true,
                options.tta(), defaults.mirrorAxes());
        this.manager = NDManager.newBaseManager(NetworkDevice.fromConfig("cpu"));
        List<SlidingWindowPredictor> perFold = new ArrayList<>();
        try {
            for (int f : folds) {
                Path foldDir = modelFolder.resolve("fold_" + f);
                GenericUNet net = TrainedNetwork.load(plans, configuration, foldDir, options.checkpoint(), manager);
                perFold.add(new SlidingWindowPredictor(new NetworkPatchPredictor(net, manager), patch, sw));
            }
        } catch (IOException | RuntimeException e) {
            manager.close();
            throw e;
        }
        Postprocessor pp = null;
        Path ppFile = modelFolder.resolve(PostprocessingPlan.FILE_NAME);
        if (options.postprocessing()) {
            if (Files.isRegularFile(ppFile)) {
                pp = new Postprocessor(PostprocessingPlan.read(ppFile));
                log.accept("postprocessing with " + ppFile);
            } else {
                log.accept("WARNING: no postprocessing (" + ppFile + " missing: run nnUNet_find_best_configuration,"
                        + " which consolidates the folds, first)");
            }
        }
        this.predictor = new CasePredictor(new FoldEnsemblePredictor(perFold),
                new SegmentationExporter(new V1SoftmaxResampler()), plans.transposeBackward(), pp);
        this.preprocessor = new CasePreprocessor(PlansPreprocessing.config(plans));
    }

    public Plans plans() {
        return plans;
    }

    public List<Integer> folds() {
        return folds;
    }

    /** The {@code fold_N} folders with a checkpoint, sorted by N (v1: every {@code fold_*} subfolder). */
    public static List<Integer> availableFolds(Path modelFolder) throws IOException {
        if (!Files.isDirectory(modelFolder)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(modelFolder)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.matches("fold_\\d+"))
                    .map(n -> Integer.parseInt(n.substring(5))).sorted().toList();
        }
    }

    /** Checks the whole input folder, then predicts every case into {@code output/<case>.nii.gz}. */
    public List<Path> predictFolder(Path input, Path output) throws IOException {
        List<RawCase> cases = PredictionInputFolder.check(input, plans.numModalities());
        Files.createDirectories(output);
        List<Path> written = new ArrayList<>();
        int i = 0;
        for (RawCase c : cases) {
            long t0 = System.nanoTime();
            Path out = output.resolve(c.caseId() + ".nii.gz");
            predictCase(c, out);
            written.add(out);
            log.accept(String.format("predicted %s (%d/%d) in %.2f s", c.caseId(), ++i, cases.size(),
                    (System.nanoTime() - t0) / 1e9));
        }
        Path ppFile = modelFolder.resolve(PostprocessingPlan.FILE_NAME);
        if (options.postprocessing() && Files.isRegularFile(ppFile)) {
            Files.copy(ppFile, output.resolve(PostprocessingPlan.FILE_NAME), StandardCopyOption.REPLACE_EXISTING);
        }
        return written;
    }

    /** v1 preprocess_patient + predict: crop, preprocess with the configuration's stage, predict, export. */
    public void predictCase(RawCase c, Path niftiOut) throws IOException {
        CroppedCase cropped = ImageCropper.loadAndCrop(c);
        int stage = plans.stageIndexFor(configuration);
        PreprocessedCase pre = preprocessor.preprocess(cropped.channels().toArray(new float[0][]), cropped.seg(),
                cropped.shape(), cropped.properties().originalSpacing(), plans.stage(stage).currentSpacing(),
                PlansPreprocessing.isTwoD(plans));
        ExportProperties props = ExportProperties.of(cropped.properties(), pre.spacing());
        predictor.predict(pre.data(), pre.shape(), props, niftiOut, options.saveNpz());
    }

    @Override
    public void close() {
        manager.close();
    }
}
