package org.nnunet.inference;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nnunet.augmentation.AugmentationParameters;
import org.nnunet.cropping.CroppedCase;
import org.nnunet.cropping.ImageCropper;
import org.nnunet.evaluation.LabelVolume;
import org.nnunet.image.Volume;
import org.nnunet.network.GenericUNet;
import org.nnunet.network.NetworkPatchPredictor;
import org.nnunet.network.UNetArchitecture;
import org.nnunet.planning.Plans;
import org.nnunet.planning.PlansIO;
import org.nnunet.planning.StagePlan;
import org.nnunet.postprocessing.PostprocessingPlan;
import org.nnunet.postprocessing.Postprocessor;
import org.nnunet.preprocessing.CasePreprocessor;
import org.nnunet.preprocessing.PlansPreprocessing;
import org.nnunet.preprocessing.PreprocessedCase;
import org.nnunet.training.TrainerCheckpoint;

/**
 * A {@link ModelPackage} loaded for prediction of raw cases, v1.7.1 {@code predict.predict_cases}: each case is
 * cropped to its nonzero box and preprocessed as in training ({@code preprocess_patient}: {@link ImageCropper},
 * then {@link CasePreprocessor} at the stage's {@code current_spacing}), predicted with every fold's
 * {@code model_final_checkpoint} (sliding window, step 0.5, Gaussian, mirroring on nnUNetTrainerV2's axes) and
 * exported back to the input's geometry with the package's postprocessing. Owns the networks' native memory:
 * {@link #close()} frees it.
 */
public final class ModelPredictor implements AutoCloseable {
    private final ModelPackage.Manifest manifest;
    private final Plans plans;
    private final StagePlan stagePlan;
    private final boolean twoD;
    private final CasePreprocessor preprocessor;
    private final CasePredictor predictor;
    private final NDManager manager;

    private ModelPredictor(ModelPackage.Manifest manifest, Plans plans, StagePlan stagePlan, CasePredictor predictor,
                           NDManager manager) {
        this.manifest = manifest;
        this.plans = plans;
        this.stagePlan = stagePlan;
        this.twoD = PlansPreprocessing.isTwoD(plans);
        this.preprocessor = new CasePreprocessor(PlansPreprocessing.config(plans));
        this.predictor = predictor;
        this.manager = manager;
    }

    /** Builds one network per fold on {@code device} and loads its final checkpoint (checksums verified). */
    public static ModelPredictor load(ModelPackage.Local pkg, Device device) throws IOException {
        ModelPackage.Manifest m = pkg.manifest();
        Plans plans = PlansIO.read(pkg.plansFile());
        StagePlan stagePlan = plans.stage(plans.stageIndexFor(m.configuration()));
        boolean dummy2D = stagePlan.patchSize().length == 3 && stagePlan.doDummy2DDataAug();
        int[] mirrorAxes = AugmentationParameters.nnUNetTrainerV2(stagePlan.patchSize(), dummy2D, null).mirrorAxes();
        SlidingWindowPredictor.Settings settings = new SlidingWindowPredictor.Settings(0.5, true, true, mirrorAxes);
        NDManager manager = NDManager.newBaseManager(device);
        try {
            List<SlidingWindowPredictor> folds = new ArrayList<>();
            for (int fold : m.folds()) {
                GenericUNet network = new GenericUNet(UNetArchitecture.fromPlans(plans, m.configuration()), false);
                network.initialize(manager);
                TrainerCheckpoint.load(pkg.foldDir(fold), ModelPackage.CHECKPOINT, network, manager, null);
                folds.add(new SlidingWindowPredictor(new NetworkPatchPredictor(network, manager),
                        stagePlan.patchSize(), settings));
            }
            Postprocessor post = pkg.postprocessingFile().isPresent()
                    ? new Postprocessor(PostprocessingPlan.read(pkg.postprocessingFile().get())) : null;
            CasePredictor predictor = new CasePredictor(new FoldEnsemblePredictor(folds),
                    new SegmentationExporter(new V1SoftmaxResampler()), plans.transposeBackward(), post);
            return new ModelPredictor(m, plans, stagePlan, predictor, manager);
        } catch (IOException | RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    public ModelPackage.Manifest manifest() {
        return manifest;
    }

    public int numModalities() {
        return plans.numModalities();
    }

    /**
     * Segments one case and writes it as uint8 NIfTI with the geometry of the first modality.
     *
     * @param modalities one volume per modality ({@code _0000}, {@code _0001}, ...), same shape
     */
    public LabelVolume predict(String caseId, List<Volume> modalities, Path niftiFile) throws IOException {
        if (modalities.size() != plans.numModalities()) {
            throw new IllegalArgumentException("case " + caseId + " has " + modalities.size() + " modalities, model "
                    + manifest.task() + "/" + manifest.version() + " needs " + plans.numModalities());
        }
        Volume first = modalities.get(0);
        List<float[]> channels = new ArrayList<>();
        for (Volume v : modalities) {
            if (!Arrays.equals(v.shape(), first.shape())) {
                throw new IllegalArgumentException("case " + caseId + ": modality shapes differ: "
                        + Arrays.toString(first.shape()) + " vs " + Arrays.toString(v.shape()));
            }
            channels.add(v.data()); // read only: cropping copies
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < modalities.size(); i++) {
            names.add(String.format("%s_%04d.nii.gz", caseId, i));
        }
        CroppedCase cropped = ImageCropper.crop(caseId, channels, null, first.shape(), first.geometry(), names, null);
        PreprocessedCase pre = preprocessor.preprocess(cropped.channels().toArray(float[][]::new), cropped.seg(),
                cropped.shape(), cropped.properties().originalSpacing(), stagePlan.currentSpacing(), twoD);
        ExportProperties export = ExportProperties.of(cropped.properties(), pre.spacing());
        return predictor.predict(pre.data(), pre.shape(), export, niftiFile, false);
    }

    @Override
    public void close() {
        manager.close();
    }
}
