package org.nnunet.preprocessing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nnunet.image.Volume;
import org.nnunet.nifti.NiftiIO;

/**
 * Real data: three Task04_Hippocampus training cases (read from {@code nnunet.shared.dir}). The seg input marks
 * -1 where image and label are both 0 (what cropping does outside the nonzero mask; these cases are not cut
 * further since they have hardly any zero voxels).
 */
class HippocampusPreprocessingTest {
    private static final String[] CASES = {"hippocampus_001", "hippocampus_003", "hippocampus_004"};
    private static final int[] CLASSES = {1, 2};

    private record RawCase(String id, float[] image, float[] seg, int[] shape, double[] spacing) {}

    private static List<RawCase> load() throws Exception {
        Path task = Path.of(System.getProperty("nnunet.shared.dir", "../shared"), "data", "Task04_Hippocampus");
        assumeTrue(Files.isDirectory(task), "Hippocampus data not at " + task);
        List<RawCase> out = new ArrayList<>();
        for (String id : CASES) {
            Volume img = NiftiIO.read(task.resolve("imagesTr").resolve(id + ".nii.gz"));
            Volume lab = NiftiIO.read(task.resolve("labelsTr").resolve(id + ".nii.gz"));
            float[] seg = lab.data().clone();
            for (int i = 0; i < seg.length; i++) {
                if (seg[i] == 0 && img.data()[i] == 0) {
                    seg[i] = -1;
                }
            }
            out.add(new RawCase(id, img.data().clone(), seg, img.shape(), img.geometry().spacingZYX()));
        }
        return out;
    }

    private static PreprocessingConfig config(boolean useMask) {
        return new PreprocessingConfig(new NormalizationScheme[] {NormalizationScheme.NON_CT}, new boolean[] {useMask},
                new CtIntensities[1], new int[] {0, 1, 2}, CLASSES);
    }

    @Test
    @DisplayName("3d_fullres at the native 1 mm: shape kept, whole-image z-score (mean 0, sd 1), labels untouched")
    void nativeSpacing() throws Exception {
        for (RawCase c : load()) {
            float[] seg = c.seg.clone();
            PreprocessedCase p = new CasePreprocessor(config(false)).preprocess(new float[][] {c.image.clone()}, seg,
                    c.shape, c.spacing, new double[] {1, 1, 1}, false);
            assertArrayEquals(c.shape, p.shape(), c.id);
            double[] ms = meanSd(p.data()[0], null);
            assertEquals(0, ms[0], 1e-3, c.id + " mean");
            assertEquals(1, ms[1], 1e-3, c.id + " sd");
            assertArrayEquals(c.seg, p.seg(), c.id + " labels");
            for (int cls : CLASSES) {
                assertEquals(Math.min(10000, count(c.seg, cls)), p.classLocations().get(cls).length, c.id);
            }
        }
    }

    @Test
    @DisplayName("resampled to (1.5, 0.75, 0.9) with the mask: equals v1 in Python; mean 0 / sd 1 inside; label volumes kept")
    void resampledMatchesV1(@TempDir Path dir) throws Exception {
        PythonReference.assumePython();
        List<RawCase> cases = load();
        double[] target = {1.5, 0.75, 0.9};
        PythonReference py = new PythonReference(dir);
        List<String> ids = new ArrayList<>();
        for (RawCase c : cases) {
            float[] stacked = PreprocessorParityTest.concat(new float[][] {c.image, c.seg});
            ids.add(py.add("preprocess", stacked, new int[] {2, c.shape[0], c.shape[1], c.shape[2]}, Map.of(
                    "original_spacing", c.spacing, "target_spacing", target, "transpose", new int[] {0, 1, 2},
                    "schemes", new String[] {"nonCT"}, "use_mask", new boolean[] {true},
                    "ct", List.of(List.of(0, 1, 0, 1)), "all_classes", CLASSES, "two_d", false)));
        }
        py.run();
        for (int k = 0; k < cases.size(); k++) {
            RawCase c = cases.get(k);
            PreprocessedCase p = new CasePreprocessor(config(true)).preprocess(new float[][] {c.image.clone()},
                    c.seg.clone(), c.shape, c.spacing, target, false);
            int[] expectedShape = SeparateZ.newShape(c.shape, c.spacing, target);
            assertArrayEquals(expectedShape, p.shape(), c.id);
            double[] ref = py.result(ids.get(k));
            int n = p.seg().length;
            double maxErr = 0;
            double maxRef = 0;
            for (int i = 0; i < n; i++) {
                maxErr = Math.max(maxErr, Math.abs(ref[i] - p.data()[0][i]));
                maxRef = Math.max(maxRef, Math.abs(ref[i]));
                assertEquals(ref[n + i], p.seg()[i], c.id + " label at " + i);
            }
            assertTrue(maxErr <= 1e-4 * maxRef, c.id + " data error " + maxErr + " (max " + maxRef + ")");
            double[] refLocs = PythonReference.readNpy(dir.resolve(ids.get(k) + "_locs.npy"));
            int row = 0;
            for (int cls : CLASSES) {
                for (int[] l : p.classLocations().get(cls)) {
                    assertArrayEquals(new double[] {cls, l[0], l[1], l[2]},
                            new double[] {refLocs[4 * row], refLocs[4 * row + 1], refLocs[4 * row + 2],
                                refLocs[4 * row + 3]}, c.id + " location " + row);
                    row++;
                }
            }
            assertEquals(refLocs.length / 4, row);

            double[] ms = meanSd(p.data()[0], p.seg());
            assertEquals(0, ms[0], 1e-3, c.id + " mean inside mask");
            assertEquals(1, ms[1], 1e-3, c.id + " sd inside mask");
            double scale = 1.0 / (1.5 * 0.75 * 0.9); // voxels per mm^3 after / before
            for (int cls : CLASSES) {
                double before = count(c.seg, cls) * scale;
                double after = count(p.seg(), cls);
                assertEquals(1.0, after / before, 0.05, c.id + " volume of label " + cls);
            }
        }
    }

    private static int count(float[] seg, int cls) {
        int n = 0;
        for (float v : seg) {
            if (v == cls) {
                n++;
            }
        }
        return n;
    }

    /** Mean and population sd, over voxels with seg >= 0 when seg is given. */
    private static double[] meanSd(float[] x, float[] seg) {
        double s = 0;
        long n = 0;
        for (int i = 0; i < x.length; i++) {
            if (seg == null || seg[i] >= 0) {
                s += x[i];
                n++;
            }
        }
        double m = s / n;
        double ss = 0;
        for (int i = 0; i < x.length; i++) {
            if (seg == null || seg[i] >= 0) {
                ss += (x[i] - m) * (x[i] - m);
            }
        }
        return new double[] {m, Math.sqrt(ss / n)};
    }
}
