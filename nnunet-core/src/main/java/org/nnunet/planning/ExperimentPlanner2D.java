package org.nnunet.planning;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * nnU-Net v1.7.1 {@code ExperimentPlanner2D_v21} (on top of {@code ExperimentPlanner2D}): one 2D stage on the
 * in-plane axes after transposition. It inherits the plain median target spacing of the base planner (not the
 * 3D v2.1 anisotropy rule).
 */
public final class ExperimentPlanner2D extends ExperimentPlanner {
    public static final String NAME = "ExperimentPlanner2D_v21";
    public static final String DATA_IDENTIFIER = "nnUNetData_plans_v2.1_2D";
    /** The 2D planner's cap; the 2D network itself uses 480 features at most. */
    static final int MAX_NUM_FILTERS = 512;
    /** The first estimate pretends 30 base features ("yields the same configuration as in V1"). */
    static final int FIRST_ESTIMATE_BASE_FEATURES = 30;
    /** {@code use_this_for_batch_size_computation_2D * DEFAULT_BATCH_SIZE_2D / 2}: reference for batch size 2. */
    static final double REFERENCE = (double) VramEstimate.REFERENCE_2D * VramEstimate.DEFAULT_BATCH_SIZE_2D / 2;

    public ExperimentPlanner2D(DatasetFingerprint fingerprint, Path croppedFolder, Path preprocessedFolder) {
        super(fingerprint, croppedFolder, preprocessedFolder);
    }

    @Override
    public String plansFileName() {
        return PlansIO.PLANS_2D;
    }

    /**
     * {@code ExperimentPlanner2D_v21.get_properties_for_stage}: patch = median shape without the first axis, shrunk
     * while the estimate exceeds the reference; batch {@code floor(ref / estimate) * 2} (an error below 2), capped at
     * 5% of the dataset's 3D voxels, at least 1.
     */
    StagePlan propertiesForStage(double[] currentSpacing, double[] originalSpacing, double[] originalShape,
            int numCases, int numModalities, int numClasses) {
        int[] newMedianShape = new int[3];
        for (int i = 0; i < 3; i++) {
            newMedianShape[i] = NumpyStats.round(originalSpacing[i] / currentSpacing[i] * originalShape[i]);
        }
        long datasetNumVoxels = NumpyStats.prod(newMedianShape) * numCases;
        int[] patch = {newMedianShape[1], newMedianShape[2]};
        int[] median2d = patch.clone();
        double[] spacing2d = {currentSpacing[1], currentSpacing[2]};

        PoolAndConvProps props = PoolAndConvProps.compute(spacing2d, patch, FEATURE_MAP_MIN_EDGE_LENGTH, MAX_NUM_POOL);
        long here = VramEstimate.compute(props.patchSize(), props.poolOpKernelSizes(), FIRST_ESTIMATE_BASE_FEATURES,
                MAX_NUM_FILTERS, numModalities, numClasses, CONV_PER_STAGE);
        while (here > REFERENCE) {
            props = shrink(spacing2d, props, median2d);
            here = VramEstimate.compute(props.patchSize(), props.poolOpKernelSizes(), BASE_NUM_FEATURES,
                    MAX_NUM_FILTERS, numModalities, numClasses, CONV_PER_STAGE);
        }
        int batchSize = (int) (Math.floor(REFERENCE / here) * 2);
        int[] patchSize = props.patchSize();
        if (batchSize < MIN_BATCH_SIZE) {
            throw new IllegalStateException("2D planner: batch size " + batchSize + " below " + MIN_BATCH_SIZE
                    + " for patch " + java.util.Arrays.toString(patchSize) + " (nnU-Net: 'This should not happen')");
        }
        int maxBatchSize = NumpyStats.round(BATCH_SIZE_COVERS_MAX_PERCENT_OF_DATASET * datasetNumVoxels
                / NumpyStats.prod(patchSize));
        batchSize = Math.max(1, Math.min(batchSize, maxBatchSize));
        return new StagePlan(batchSize, props.numPoolPerAxis(), patchSize, newMedianShape, currentSpacing.clone(),
                originalSpacing.clone(), false, props.poolOpKernelSizes(), props.convKernelSizes());
    }

    /** {@code ExperimentPlanner2D.plan_experiment}: a single stage at the (transposed) median target spacing. */
    @Override
    public Plans plan() {
        Map<Integer, Boolean> useMask = useMaskForNorm();
        int numModalities = fingerprint.numModalities();
        double[] target = targetSpacing();
        int[] forward = transposeForward(target);
        double[] targetT = permute(target, forward);
        double[] medianT = permute(medianShape(target), forward);
        StagePlan stage = propertiesForStage(targetT, targetT, medianT, fingerprint.numCases(), numModalities,
                fingerprint.allClasses().length + 1);
        Map<Integer, StagePlan> perStage = new LinkedHashMap<>();
        perStage.put(0, stage);
        return new Plans(1, numModalities, new LinkedHashMap<>(fingerprint.modalities()), normalizationSchemes(),
                fingerprint, listOfCroppedFiles(), fingerprint.allSpacings(), fingerprint.allSizes(),
                preprocessedFolder.toString(), fingerprint.allClasses().length, fingerprint.allClasses(),
                BASE_NUM_FEATURES, useMask, forward, transposeBackward(forward), DATA_IDENTIFIER, perStage,
                "PreprocessorFor2D", CONV_PER_STAGE);
    }
}
