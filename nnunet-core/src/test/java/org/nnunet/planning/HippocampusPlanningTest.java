package org.nnunet.planning;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nnunet.cropping.CaseProperties;
import org.nnunet.cropping.CroppedDataFolder;
import org.nnunet.cropping.ImageCropper;
import org.nnunet.cropping.RawCase;

/**
 * Cropping, fingerprint and both v2.1 planners on the real Task04_Hippocampus (208 training cases).
 *
 * <p>Expected numbers, by hand from the v1.7.1 rules: all spacings are 1 mm and nothing is cropped away (median
 * size reduction 1.0, checked with nibabel + scipy), the median cropped shape is (36, 50, 35).
 * <ul>
 *   <li>3d_fullres: patch min(512, median) = (36, 50, 35); pools while size >= 8 (36 -> 18 -> 9 -> 4.5 etc.) give
 *   3 x [2,2,2], patch padded to multiples of 8 = (40, 56, 40). Estimate (base 32, 3 classes):
 *   164 * 89,600 + 11,200*64*5 + 1,400*128*5 + 175*256*2 = 19,264,000; floor(554,666,666.7 / 19,264,000 * 2) = 57;
 *   5% cap round(0.05 * 36*50*35 * 208 / 89,600) = round(7.3125) = 7, so batch 7.</li>
 *   <li>2d: patch (50, 35) -> 3 x [2,2] -> (56, 40). Estimate (30 features, max 512): 154 * 2,240 + 560*60*5
 *   + 140*120*5 + 35*240*2 = 613,760; floor(493,491,200 / 613,760) * 2 = 1,608; cap round(0.05 * 63,000 * 208
 *   / 2,240) = round(292.5) = 292 (numpy rounds half to even), so batch 292.</li>
 * </ul>
 */
class HippocampusPlanningTest {

    @TempDir
    static Path tmp;
    static HippocampusData data;
    static CroppedDataFolder cropped;

    /** Crops the 208 cases once for both tests, on all cores (at least 2 threads). */
    @BeforeAll
    static void crop() throws Exception {
        data = HippocampusData.loadOrSkip();
        cropped = new CroppedDataFolder(tmp.resolve("cropped"));
        ImageCropper.run(data.cases, cropped, threads(), false);
    }

    static int threads() {
        return Math.max(2, Runtime.getRuntime().availableProcessors());
    }

    @Test
    @DisplayName("Hippocampus: crop 208 cases, fingerprint, plan: target spacing 1mm, 3d 40x56x40 3x[2,2,2] bs 7"
            + " (5% cap), 2d 56x40 bs 292 (5% cap, half-even), nonCT without mask")
    void plansHippocampus() throws Exception {
        assertEquals(208, data.cases.size());
        assertEquals(208, cropped.caseIds().size());
        int threads = threads();

        DatasetFingerprint fp = DatasetAnalyzer.analyze(cropped, data.labels, data.modalities,
                DatasetAnalyzer.needsIntensityProperties(data.modalities), threads);
        assertArrayEquals(new int[] {1, 2}, fp.allClasses());
        assertEquals(Map.of(0, "MRI"), fp.modalities());
        assertNull(fp.intensityProperties(), "MRI only: no intensity properties");
        for (double[] s : fp.allSpacings()) {
            assertArrayEquals(new double[] {1, 1, 1}, s, 1e-6);
        }
        assertEquals(1.0, NumpyStats.median(fp.sizeReductions().values().stream().mapToDouble(d -> d).toArray()));
        // nibabel + scipy on the same files: 157 cases have zero voxels outside the filled mask (-1), 51 do not
        long withOutside = fp.segmentationPropsPerPatient().values().stream()
                .filter(p -> Arrays.equals(p.hasClasses(), new double[] {-1, 0, 1, 2})).count();
        long without = fp.segmentationPropsPerPatient().values().stream()
                .filter(p -> Arrays.equals(p.hasClasses(), new double[] {0, 1, 2})).count();
        assertEquals(157, withOutside);
        assertEquals(51, without);
        Path fpFile = tmp.resolve(CroppedDataFolder.DATASET_PROPERTIES);
        DatasetAnalyzer.write(fp, fpFile);
        assertEquals(fp.allSizes().size(), DatasetAnalyzer.read(fpFile).allSizes().size());

        Path preprocessed = tmp.resolve("preprocessed");
        Plans p3 = new ExperimentPlanner3D(fp, cropped.dir(), preprocessed).plan();
        assertEquals(1, p3.numStages());
        StagePlan s = p3.stage(0);
        assertArrayEquals(new double[] {1, 1, 1}, s.currentSpacing(), 1e-6);
        assertArrayEquals(new int[] {36, 50, 35}, s.medianPatientSizeInVoxels());
        assertArrayEquals(new int[] {40, 56, 40}, s.patchSize());
        assertArrayEquals(GoldenPlansTest.repeat(3, 2, 2, 2), s.poolOpKernelSizes());
        assertArrayEquals(GoldenPlansTest.repeat(4, 3, 3, 3), s.convKernelSizes());
        assertEquals(19_264_000L, VramEstimate.compute(s.patchSize(), s.poolOpKernelSizes(), 32, 320, 1, 3, 2));
        assertEquals(7, s.batchSize());
        assertFalse(s.doDummy2DDataAug());
        assertEquals(Map.of(0, "nonCT"), p3.normalizationSchemes());
        assertEquals(Map.of(0, false), p3.useMaskForNorm());
        assertEquals(List.of(0, 1, 2), List.of(p3.transposeForward()[0], p3.transposeForward()[1],
                p3.transposeForward()[2]));

        Plans p2 = new ExperimentPlanner2D(fp, cropped.dir(), preprocessed).plan();
        StagePlan t = p2.stage(0);
        assertArrayEquals(new int[] {56, 40}, t.patchSize());
        assertArrayEquals(GoldenPlansTest.repeat(3, 2, 2), t.poolOpKernelSizes());
        assertEquals(613_760L, VramEstimate.compute(t.patchSize(), t.poolOpKernelSizes(), 30, 512, 1, 3, 2));
        assertEquals(292, t.batchSize());

        Path plansFile = preprocessed.resolve(PlansIO.PLANS_3D);
        PlansIO.write(p3, plansFile);
        Plans back = PlansIO.read(plansFile);
        assertArrayEquals(s.patchSize(), back.stage(0).patchSize());
        assertEquals("nnUNetData_plans_v2.1", back.dataIdentifier());
        assertEquals(208, back.listOfNpzFiles().size());
    }

    @Test
    @DisplayName("cropping matches nibabel + scipy.binary_fill_holes on every Hippocampus case: original size, crop"
            + " bbox (zyx, upper exclusive) and voxels after cropping")
    void cropBoxesMatchPython() throws Exception {
        String python = System.getProperty("nnunet.python", "/usr/bin/python3");
        assumeTrue(Files.isExecutable(Path.of(python)), "no python at " + python);
        String script = "import sys, numpy as np, nibabel as nib\n"
                + "from scipy.ndimage import binary_fill_holes\n"
                + "for f in sys.argv[1:]:\n"
                + "    a = np.asanyarray(nib.load(f).dataobj).transpose(2, 1, 0)\n"
                + "    w = np.where(binary_fill_holes(a != 0))\n"
                + "    print(' '.join(str(v) for v in list(a.shape) + [int(w[i].min()) for i in range(3)]"
                + " + [int(w[i].max()) + 1 for i in range(3)]))\n";
        List<String> cmd = new ArrayList<>(List.of(python, "-c", script));
        for (RawCase c : data.cases) {
            cmd.add(c.dataFiles().get(0).toString());
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertEquals(0, p.waitFor(), out);
        String[] lines = out.split("\n");
        assertEquals(data.cases.size(), lines.length);
        for (int i = 0; i < lines.length; i++) {
            int[] v = Arrays.stream(lines[i].trim().split(" ")).mapToInt(Integer::parseInt).toArray();
            String id = data.cases.get(i).caseId();
            CaseProperties props = cropped.readProperties(id);
            assertArrayEquals(Arrays.copyOfRange(v, 0, 3), props.originalSizeOfRawData(), id);
            assertArrayEquals(new int[][] {{v[3], v[6]}, {v[4], v[7]}, {v[5], v[8]}}, props.cropBbox(), id);
            assertEquals(cropped.readData(id).sliceLength(),
                    (v[6] - v[3]) * (v[7] - v[4]) * (v[8] - v[5]), id);
        }
    }
}
