package org.nnunet.inference;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.nnunet.augmentation.AugmentationParameters;
import org.nnunet.cropping.CroppedCase;
import org.nnunet.cropping.ImageCropper;
import org.nnunet.cropping.RawCase;
import org.nnunet.evaluation.LabelVolume;
import org.nnunet.image.Volume;
import org.nnunet.network.GenericUNet;
import org.nnunet.network.NetworkDevice;
import org.nnunet.network.NetworkPatchPredictor;
import org.nnunet.planning.Plans;
import org.nnunet.planning.PlansIO;
import org.nnunet.planning.StagePlan;
import org.nnunet.postprocessing.PostprocessingPlan;
import org.nnunet.postprocessing.Postprocessor;
import org.nnunet.preprocessing.CasePreprocessor;
import org.nnunet.preprocessing.PlansPreprocessing;
import org.nnunet.preprocessing.PreprocessedCase;
import org.nnunet.training.TrainedNetwork;

/**
 * A trained model loaded for prediction of raw cases, v1.7.1 {@code predict.predict_cases}: each case is cropped to
 * its nonzero box and preprocessed as in training ({@code preprocess_patient}: {@link ImageCropper}, then
 * {@link CasePreprocessor} at the configuration's {@code current_spacing}), predicted with every fold's checkpoint
 * (mean softmax of the folds; sliding window, Gaussian, mirroring on nnUNetTrainerV2's axes unless disabled) and
 * exported at the input's geometry with the postprocessing plan, if any. Owns the networks' native memory:
 * {@link #close()} frees it.
 *
 * <p>Two ways to build one: {@link #fromModelFolder} ({@code nnUNet_predict}, v1 {@code predict_from_folder}) and
 * {@link #fromPackage} (the inference service, a downloaded {@link ModelPackage}).
 */
public final class ModelPredictor implements AutoCloseable {

    /**
     * JVM system property: mirrored copies per forward pass (default
     * {@link SlidingWindowPredictor.Settings#DEFAULT_MIRROR_BATCH}); more trades memory for fewer, larger passes.
     */
    public static final String MIRROR_BATCH_PROPERTY = "nnunet.mirror_batch";

    /** Prediction options ({@code nnUNet_predict} flags). */
    public record Options(List<Integer> folds, String checkpoint, double stepSize, boolean tta,
                          boolean saveNpz, boolean postprocessing) {
        public Options {
            folds = folds == null ? null : List.copyOf(folds);
        }

        /** nnU-Net's defaults: all folds found, model_final_checkpoint, step 0.5, TTA, postprocessing. */
        public static Options defaults() {
            return new Options(null, ModelPackage.CHECKPOINT, 0.5, true, false, true);
        }
    }

    private final Plans plans;
    private final StagePlan stagePlan;
    private final List<Integer> folds;
    private final Options options;
    private final PostprocessingPlan postprocessing;
    private final Consumer<String> log;
    private final CasePreprocessor preprocessor;
    private final CasePredictor predictor;
    private final NDManager manager;

    /**
     * Builds one network per fold on {@code device} and loads its checkpoint {@code options.checkpoint()}.
     *
     * @param foldDirs       fold number -> its {@code fold_N} folder, in prediction order
     * @param postprocessing applied to every written segmentation; null: none
     * @param log            progress lines
     */
    public ModelPredictor(Plans plans, String configuration, Map<Integer, Path> foldDirs, Options options,
                          PostprocessingPlan postprocessing, Device device, Consumer<String> log) throws IOException {
        if ("3d_cascade_fullres".equals(configuration)) {
            throw new IllegalArgumentException("3d_cascade_fullres prediction is not available in this build");
        }
        if (foldDirs.isEmpty()) {
            throw new IllegalArgumentException("no fold to predict with");
        }
        this.plans = plans;
        this.stagePlan = plans.stage(plans.stageIndexFor(configuration));
        this.folds = List.copyOf(foldDirs.keySet());
        this.options = options;
        this.postprocessing = postprocessing;
        this.log = log;
        this.preprocessor = new CasePreprocessor(PlansPreprocessing.config(plans));
        int[] patch = stagePlan.patchSize();
        // v1 predicts with the trainer's data_aug_params['mirror_axes']
        boolean dummy2D = patch.length == 3 && stagePlan.doDummy2DDataAug();
        int[] mirrorAxes = AugmentationParameters.nnUNetTrainerV2(patch, dummy2D, null).mirrorAxes();
        SlidingWindowPredictor.Settings settings = new SlidingWindowPredictor.Settings(options.stepSize(), true,
                options.tta(), mirrorAxes,
                Integer.getInteger(MIRROR_BATCH_PROPERTY, SlidingWindowPredictor.Settings.DEFAULT_MIRROR_BATCH));
        this.manager = NDManager.newBaseManager(device);
        try {
            List<SlidingWindowPredictor> perFold = new ArrayList<>();
            for (Path foldDir : foldDirs.values()) {
                GenericUNet net = TrainedNetwork.load(plans, configuration, foldDir, options.checkpoint(), manager);
                perFold.add(new SlidingWindowPredictor(new NetworkPatchPredictor(net, manager), patch, settings));
            }
            this.predictor = new CasePredictor(new FoldEnsemblePredictor(perFold),
                    new SegmentationExporter(new V1SoftmaxResampler()), plans.transposeBackward(),
                    postprocessing == null ? null : new Postprocessor(postprocessing));
        } catch (IOException | RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /**
     * {@code nnUNet_predict}: the model folder's folds (v1: every {@code fold_N} subfolder unless chosen) and its
     * {@code postprocessing.json} (written by {@code consolidate_folds}) unless disabled, on the CPU.
     *
     * <p>Difference from v1: the plans are read from {@code nnUNet_preprocessed/TASK} (our trainer does not copy a
     * {@code plans.pkl} into the model folder).
     *
     * @param preprocessedTask {@code nnUNet_preprocessed/TaskXXX_NAME} (for the plans)
     * @param modelFolder      {@code .../CONFIG/TaskXXX_NAME/nnUNetTrainerV2__nnUNetPlansv2.1}
     */
    public static ModelPredictor fromModelFolder(Path preprocessedTask, String configuration, Path modelFolder,
                                                 Options options, Consumer<String> log) throws IOException {
        Path plansFile = preprocessedTask.resolve("2d".equals(configuration) ? PlansIO.PLANS_2D : PlansIO.PLANS_3D);
        if (!Files.isRegularFile(plansFile)) {
            throw new IOException(plansFile + ": plans not found (run nnUNet_plan_and_preprocess)");
        }
        Plans plans = PlansIO.read(plansFile);
        List<Integer> folds = options.folds() == null ? availableFolds(modelFolder) : options.folds();
        if (folds.isEmpty()) {
            throw new IOException(modelFolder + ": no fold_N folder with a trained model (run nnUNet_train)");
        }
        log.accept("using folds " + folds + " of " + modelFolder + " (" + options.checkpoint() + ")");
        Map<Integer, Path> foldDirs = new LinkedHashMap<>();
        for (int f : folds) {
            foldDirs.put(f, modelFolder.resolve("fold_" + f));
        }
        PostprocessingPlan pp = null;
        Path ppFile = modelFolder.resolve(PostprocessingPlan.FILE_NAME);
        if (options.postprocessing()) {
            if (Files.isRegularFile(ppFile)) {
                pp = PostprocessingPlan.read(ppFile);
                log.accept("postprocessing with " + ppFile);
            } else {
                log.accept("WARNING: no postprocessing (" + ppFile + " missing: run nnUNet_find_best_configuration,"
                        + " which consolidates the folds, first)");
            }
        }
        return new ModelPredictor(plans, configuration, foldDirs, options, pp, NetworkDevice.fromConfig("cpu"), log);
    }

    /**
     * The inference service: every fold of the package with {@code model_final_checkpoint}, v1 defaults (step 0.5,
     * TTA) and the package's postprocessing, if it has one.
     */
    public static ModelPredictor fromPackage(ModelPackage.Local pkg, Device device) throws IOException {
        ModelPackage.Manifest m = pkg.manifest();
        Plans plans = PlansIO.read(pkg.plansFile());
        Map<Integer, Path> foldDirs = new LinkedHashMap<>();
        for (int f : m.folds()) {
            foldDirs.put(f, pkg.foldDir(f));
        }
        PostprocessingPlan pp = pkg.postprocessingFile().isPresent()
                ? PostprocessingPlan.read(pkg.postprocessingFile().get()) : null;
        Options options = new Options(m.folds(), ModelPackage.CHECKPOINT, 0.5, true, false, true);
        return new ModelPredictor(plans, m.configuration(), foldDirs, options, pp, device, line -> { });
    }

    public Plans plans() {
        return plans;
    }

    public int numModalities() {
        return plans.numModalities();
    }

    public List<Integer> folds() {
        return folds;
    }

    /** The {@code fold_N} folders of a model folder, sorted by N (v1: every {@code fold_*} subfolder). */
    public static List<Integer> availableFolds(Path modelFolder) throws IOException {
        if (!Files.isDirectory(modelFolder)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(modelFolder)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.matches("fold_\\d+"))
                    .map(n -> Integer.parseInt(n.substring(5))).sorted().toList();
        }
    }

    /**
     * Checks the whole input folder, then predicts every case into {@code output/<case>.nii.gz}; with postprocessing,
     * the plan is written next to them (v1 copies {@code postprocessing.json} into the output folder).
     */
    public List<Path> predictFolder(Path input, Path output) throws IOException {
        List<RawCase> cases = PredictionInputFolder.check(input, plans.numModalities());
        Files.createDirectories(output);
        List<Path> written = new ArrayList<>();
        int i = 0;
        for (RawCase c : cases) {
            long t0 = System.nanoTime();
            Path out = output.resolve(c.caseId() + ".nii.gz");
            predict(c, out);
            written.add(out);
            log.accept(String.format("predicted %s (%d/%d) in %.2f s", c.caseId(), ++i, cases.size(),
                    (System.nanoTime() - t0) / 1e9));
        }
        if (postprocessing != null) {
            postprocessing.write(output.resolve(PostprocessingPlan.FILE_NAME));
        }
        return written;
    }

    /** Segments the case of {@code CASE_XXXX.nii.gz} files into {@code niftiFile}. */
    public LabelVolume predict(RawCase c, Path niftiFile) throws IOException {
        return predict(ImageCropper.loadAndCrop(c), niftiFile);
    }

    /**
     * Segments one case held in memory and writes it as uint8 NIfTI with the geometry of the first modality.
     *
     * @param modalities one volume per modality ({@code _0000}, {@code _0001}, ...), same shape
     */
    public LabelVolume predict(String caseId, List<Volume> modalities, Path niftiFile) throws IOException {
        if (modalities.size() != plans.numModalities()) {
            throw new IllegalArgumentException("case " + caseId + " has " + modalities.size()
                    + " modalities, the model needs " + plans.numModalities());
        }
        Volume first = modalities.get(0);
        List<float[]> channels = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (Volume v : modalities) {
            if (!Arrays.equals(v.shape(), first.shape())) {
                throw new IllegalArgumentException("case " + caseId + ": modality shapes differ: "
                        + Arrays.toString(first.shape()) + " vs " + Arrays.toString(v.shape()));
            }
            channels.add(v.data()); // read only: cropping copies
            names.add(String.format("%s_%04d.nii.gz", caseId, names.size()));
        }
        return predict(ImageCropper.crop(caseId, channels, null, first.shape(), first.geometry(), names, null),
                niftiFile);
    }

    /** v1 preprocess_patient after cropping, then the folds' prediction and the export. */
    private LabelVolume predict(CroppedCase cropped, Path niftiFile) throws IOException {
        PreprocessedCase pre = preprocessor.preprocess(cropped.channels().toArray(new float[0][]), cropped.seg(),
                cropped.shape(), cropped.properties().originalSpacing(), stagePlan.currentSpacing(),
                PlansPreprocessing.isTwoD(plans));
        ExportProperties export = ExportProperties.of(cropped.properties(), pre.spacing());
        return predictor.predict(pre.data(), pre.shape(), export, niftiFile, options.saveNpz());
    }

    @Override
    public void close() {
        manager.close();
    }
}
