package org.nnunet.planning;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * nnU-Net v1.7.1 {@code ExperimentPlanner3D_v21}: 3d_fullres and, when the median case is much larger than the
 * patch, a 3d_lowres stage for the cascade.
 */
public final class ExperimentPlanner3D extends ExperimentPlanner {
    public static final String NAME = "ExperimentPlanner3D_v21";
    public static final String DATA_IDENTIFIER = "nnUNetData_plans_v2.1";
    static final int MAX_NUM_FILTERS = 320;
    /** The 3D reference was measured with 30 base features; v2.1 uses 32 and scales the reference. */
    static final double REFERENCE = (double) VramEstimate.REFERENCE_3D * BASE_NUM_FEATURES
            / VramEstimate.REFERENCE_BASE_FEATURES_3D;

    public ExperimentPlanner3D(DatasetFingerprint fingerprint, Path croppedFolder, Path preprocessedFolder) {
        super(fingerprint, croppedFolder, preprocessedFolder);
    }

    @Override
    public String plansFileName() {
        return PlansIO.PLANS_3D;
    }

    /**
     * {@code ExperimentPlanner3D_v21.get_target_spacing}: the median spacing, except when one axis is both much
     * coarser (more than 3x the largest other spacing) and much shorter (3x its median size below the smallest
     * other median size): then that axis gets the 10th percentile of its spacings, but at least the largest other
     * spacing + 1e-5. Median sizes here are the cropped sizes in voxels, as in v1.
     */
    @Override
    protected double[] targetSpacing() {
        double[][] spacings = spacings();
        double[] target = NumpyStats.percentileColumns(spacings, TARGET_SPACING_PERCENTILE);
        double[] targetSize = NumpyStats.percentileColumns(sizes(), TARGET_SPACING_PERCENTILE);
        int worst = argmax(target);
        double maxOtherSpacing = Double.NEGATIVE_INFINITY;
        double minOtherSize = Double.POSITIVE_INFINITY;
        for (int i = 0; i < 3; i++) {
            if (i != worst) {
                maxOtherSpacing = Math.max(maxOtherSpacing, target[i]);
                minOtherSize = Math.min(minOtherSize, targetSize[i]);
            }
        }
        boolean anisoSpacing = target[worst] > ANISOTROPY_THRESHOLD * maxOtherSpacing;
        boolean anisoVoxels = targetSize[worst] * ANISOTROPY_THRESHOLD < minOtherSize;
        if (anisoSpacing && anisoVoxels) {
            double t = NumpyStats.percentile(NumpyStats.column(spacings, worst), 10);
            if (t < maxOtherSpacing) {
                t = Math.max(maxOtherSpacing, t) + 1e-5;
            }
            target[worst] = t;
        }
        return target;
    }

    /**
     * {@code ExperimentPlanner3D_v21.get_properties_for_stage}. Spacings and shapes are transposed.
     * Patch: isotropic 512 mm start in voxels, clipped to the median shape, topology from spacing, shrunk until the
     * VRAM estimate fits; batch {@code floor(max(ref / estimate, 1) * 2)} capped at 5% of the dataset (at least 2).
     */
    StagePlan propertiesForStage(double[] currentSpacing, double[] originalSpacing, double[] originalShape,
            int numCases, int numModalities, int numClasses) {
        int[] newMedianShape = new int[3];
        for (int i = 0; i < 3; i++) {
            newMedianShape[i] = NumpyStats.round(originalSpacing[i] / currentSpacing[i] * originalShape[i]);
        }
        long datasetNumVoxels = NumpyStats.prod(newMedianShape) * numCases;

        double[] p = new double[3];
        for (int i = 0; i < 3; i++) {
            p[i] = 1 / currentSpacing[i];
        }
        double mean = (p[0] + p[1] + p[2]) / 3;
        for (int i = 0; i < 3; i++) {
            p[i] /= mean;
        }
        double scale = 1 / Math.min(p[0], Math.min(p[1], p[2])) * 512;
        int[] patch = new int[3];
        for (int i = 0; i < 3; i++) {
            patch[i] = Math.min(NumpyStats.round(p[i] * scale), newMedianShape[i]);
        }

        PoolAndConvProps props = PoolAndConvProps.compute(currentSpacing, patch, FEATURE_MAP_MIN_EDGE_LENGTH,
                MAX_NUM_POOL);
        long here = estimate(props, numModalities, numClasses);
        while (here > REFERENCE) {
            props = shrink(currentSpacing, props, newMedianShape);
            here = estimate(props, numModalities, numClasses);
        }
        int[] patchSize = props.patchSize();

        int batchSize = (int) Math.floor(Math.max(REFERENCE / here, 1) * VramEstimate.DEFAULT_BATCH_SIZE_3D);
        int maxBatchSize = NumpyStats.round(BATCH_SIZE_COVERS_MAX_PERCENT_OF_DATASET * datasetNumVoxels
                / NumpyStats.prod(patchSize));
        maxBatchSize = Math.max(maxBatchSize, MIN_BATCH_SIZE);
        batchSize = Math.min(batchSize, maxBatchSize);

        int maxPatch = Math.max(patchSize[0], Math.max(patchSize[1], patchSize[2]));
        boolean dummy2D = (double) maxPatch / patchSize[0] > ANISOTROPY_THRESHOLD;
        return new StagePlan(batchSize, props.numPoolPerAxis(), patchSize, newMedianShape, currentSpacing.clone(),
                originalSpacing.clone(), dummy2D, props.poolOpKernelSizes(), props.convKernelSizes());
    }

    private static long estimate(PoolAndConvProps props, int numModalities, int numClasses) {
        return VramEstimate.compute(props.patchSize(), props.poolOpKernelSizes(), BASE_NUM_FEATURES,
                MAX_NUM_FILTERS, numModalities, numClasses, CONV_PER_STAGE);
    }

    /**
     * {@code ExperimentPlanner.plan_experiment}: full-resolution stage at the target spacing; if the median case
     * holds at least 4 patches, grow a low-resolution spacing by 1% steps (only the axes finer than half the
     * coarsest, or all when none is) until the median case holds at most 4 of that stage's patches, and keep the
     * stage if it halves the voxel count at least.
     */
    @Override
    public Plans plan() {
        Map<Integer, Boolean> useMask = useMaskForNorm();
        int numModalities = fingerprint.numModalities();
        int numClasses = fingerprint.allClasses().length + 1;
        int numCases = fingerprint.numCases();

        double[] target = targetSpacing();
        int[] forward = transposeForward(target);
        double[] medianShape = medianShape(target);
        double[] targetT = permute(target, forward);
        double[] medianT = permute(medianShape, forward);

        List<StagePlan> stages = new ArrayList<>();
        StagePlan full = propertiesForStage(targetT, targetT, medianT, numCases, numModalities, numClasses);
        stages.add(full);

        long archVoxels = NumpyStats.prod(full.patchSize());
        if (NumpyStats.prod(medianShape) / archVoxels >= LOWRES_TRIGGER) {
            double[] lowres = target.clone();
            double numVoxels = NumpyStats.prod(medianShape);
            StagePlan candidate = null;
            while (numVoxels > LOWRES_TRIGGER * archVoxels) {
                double maxSpacing = Math.max(lowres[0], Math.max(lowres[1], lowres[2]));
                boolean anyFiner = false;
                for (double s : lowres) {
                    anyFiner |= maxSpacing / s > 2;
                }
                for (int i = 0; i < 3; i++) {
                    if (!anyFiner || maxSpacing / lowres[i] > 2) {
                        lowres[i] *= 1.01;
                    }
                }
                double[] shapeHere = new double[3];
                for (int i = 0; i < 3; i++) {
                    shapeHere[i] = target[i] / lowres[i] * medianShape[i];
                }
                numVoxels = NumpyStats.prod(shapeHere);
                candidate = propertiesForStage(permute(lowres, forward), targetT, medianT, numCases, numModalities,
                        numClasses);
                archVoxels = NumpyStats.prod(candidate.patchSize());
            }
            if (candidate != null && 2 * NumpyStats.prod(candidate.medianPatientSizeInVoxels())
                    < NumpyStats.prod(full.medianPatientSizeInVoxels())) {
                stages.add(candidate);
            }
        }
        Map<Integer, StagePlan> perStage = new LinkedHashMap<>();
        for (int i = 0; i < stages.size(); i++) {
            perStage.put(i, stages.get(stages.size() - 1 - i));
        }
        return new Plans(perStage.size(), numModalities, new LinkedHashMap<>(fingerprint.modalities()),
                normalizationSchemes(), fingerprint, listOfCroppedFiles(), fingerprint.allSpacings(),
                fingerprint.allSizes(), preprocessedFolder.toString(), fingerprint.allClasses().length,
                fingerprint.allClasses(), BASE_NUM_FEATURES, useMask, forward, transposeBackward(forward),
                DATA_IDENTIFIER, perStage, "GenericPreprocessor", CONV_PER_STAGE);
    }
}
