package org.nnunet.preprocessing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nnunet.util.NpyArray;
import org.nnunet.util.NpyWriter;

/**
 * Whole-case preprocessing against v1.7.1's {@code _run_internal} rewritten in Python (reference.py): synthetic
 * cropped cases with a nonzero mask (-1 outside), anisotropic, transposed, 2D and isotropic, through
 * {@link GenericPreprocessor#run} / {@link PreprocessorFor2D}. Data within 1e-4 of the largest magnitude, labels
 * and class locations exactly.
 */
class PreprocessorParityTest {
    private record Case(String id, int[] shape, double[] spacing, double[] target, int[] transpose, boolean twoD,
                        String[] schemes, boolean[] useMask) {}

    private static final CtIntensities CT = new CtIntensities(310, 90, 120, 520);

    @Test
    @DisplayName("GenericPreprocessor / PreprocessorFor2D output equals v1 _run_internal (resample, normalize, class_locations)")
    void matchesV1(@TempDir Path dir) throws Exception {
        PythonReference.assumePython();
        List<Case> cases = List.of(
                new Case("aniso", new int[] {8, 30, 26}, new double[] {4.0, 0.9, 1.1}, new double[] {3.0, 1.0, 1.0},
                        new int[] {0, 1, 2}, false, new String[] {"CT", "nonCT"}, new boolean[] {false, true}),
                new Case("transposed", new int[] {20, 18, 6}, new double[] {1.0, 1.0, 5.0},
                        new double[] {4.0, 1.2, 0.8}, new int[] {2, 0, 1}, false, new String[] {"nonCT"},
                        new boolean[] {false}),
                new Case("twod", new int[] {7, 25, 21}, new double[] {2.5, 0.7, 0.7}, new double[] {99, 1.0, 1.0},
                        new int[] {0, 1, 2}, true, new String[] {"nonCT"}, new boolean[] {true}),
                new Case("iso", new int[] {12, 13, 14}, new double[] {1, 1, 1}, new double[] {1, 1, 1},
                        new int[] {0, 1, 2}, false, new String[] {"noNorm"}, new boolean[] {false}),
                new Case("upsample", new int[] {10, 11, 9}, new double[] {1.3, 1.2, 1.4}, new double[] {0.9, 0.8, 1.0},
                        new int[] {0, 1, 2}, false, new String[] {"nonCT"}, new boolean[] {true}));
        PythonReference py = new PythonReference(dir);
        Random rnd = new Random(7);
        Map<String, String> ids = new LinkedHashMap<>();
        ObjectMapper json = new ObjectMapper();
        int[] allClasses = {1, 2};
        for (Case c : cases) {
            Path cropped = dir.resolve("cropped_" + c.id);
            Files.createDirectories(cropped);
            float[][] stacked = syntheticCase(rnd, c.shape, c.schemes.length);
            int[] s4 = {stacked.length, c.shape[0], c.shape[1], c.shape[2]};
            NpyWriter.write(cropped.resolve(c.id + ".npy"), s4, stacked);
            ObjectNode props = json.createObjectNode();
            props.putArray("original_spacing").add(c.spacing[0]).add(c.spacing[1]).add(c.spacing[2]);
            json.writeValue(cropped.resolve(c.id + ".json").toFile(), props);
            List<Object> ct = new ArrayList<>();
            for (String s : c.schemes) {
                ct.add(List.of(CT.mean(), CT.sd(), CT.percentile00_5(), CT.percentile99_5()));
            }
            float[] flat = concat(stacked);
            ids.put(c.id, py.add("preprocess", flat, s4, Map.of("original_spacing", c.spacing, "target_spacing",
                    c.target, "transpose", c.transpose, "schemes", c.schemes, "use_mask", c.useMask, "ct", ct,
                    "all_classes", allClasses, "two_d", c.twoD)));
        }
        py.run();
        for (Case c : cases) {
            NormalizationScheme[] schemes = new NormalizationScheme[c.schemes.length];
            CtIntensities[] ct = new CtIntensities[c.schemes.length];
            for (int i = 0; i < schemes.length; i++) {
                schemes[i] = NormalizationScheme.fromPlanName(c.schemes[i]);
                ct[i] = CT;
            }
            PreprocessingConfig config = new PreprocessingConfig(schemes, c.useMask, ct, c.transpose, allClasses);
            GenericPreprocessor pre = c.twoD ? new PreprocessorFor2D(config) : new GenericPreprocessor(config);
            Path out = dir.resolve("out_" + c.id);
            pre.run(List.of(c.target), dir.resolve("cropped_" + c.id), out, "nnUNetData_plans_v2.1", 2);

            PreprocessedDataFolder stage = PreprocessedDataFolder.stage(out, "nnUNetData_plans_v2.1", 0);
            NpyArray ours = stage.readData(c.id);
            double[] ref = py.result(ids.get(c.id));
            int n = ours.sliceLength();
            assertEquals(ref.length, ours.data().length, c.id + ": size");
            int nc = ours.shape()[0];
            double maxRef = 0;
            double maxErr = 0;
            for (int i = 0; i < (nc - 1) * n; i++) {
                maxRef = Math.max(maxRef, Math.abs(ref[i]));
                maxErr = Math.max(maxErr, Math.abs(ref[i] - ours.data()[i]));
            }
            assertTrue(maxErr <= 1e-4 * maxRef, c.id + ": data error " + maxErr + " (max " + maxRef + ")");
            for (int i = (nc - 1) * n; i < nc * n; i++) {
                assertEquals(ref[i], ours.data()[i], c.id + ": seg voxel " + i);
            }

            ObjectNode props = stage.readProperties(c.id);
            int[] size = new int[3];
            for (int a = 0; a < 3; a++) {
                size[a] = props.get(PreprocessedDataFolder.SIZE_AFTER_RESAMPLING).get(a).asInt();
            }
            assertArrayEquals(new int[] {ours.shape()[1], ours.shape()[2], ours.shape()[3]}, size, c.id);
            double[] spacing = new double[3];
            for (int a = 0; a < 3; a++) {
                spacing[a] = props.get(PreprocessedDataFolder.SPACING_AFTER_RESAMPLING).get(a).asDouble();
            }
            double[] expectedSpacing = c.target.clone();
            if (c.twoD) {
                expectedSpacing[0] = c.spacing[c.transpose[0]];
            }
            assertArrayEquals(expectedSpacing, spacing, 0, c.id);

            double[] refLocs = PythonReference.readNpy(dir.resolve(ids.get(c.id) + "_locs.npy"));
            Map<Integer, int[][]> locs = stage.readClassLocations(c.id);
            int row = 0;
            for (int cls : allClasses) {
                for (int[] l : locs.get(cls)) {
                    assertEquals(cls, refLocs[4 * row], c.id + " class of location " + row);
                    assertArrayEquals(new double[] {refLocs[4 * row + 1], refLocs[4 * row + 2], refLocs[4 * row + 3]},
                            new double[] {l[0], l[1], l[2]}, c.id + " location " + row);
                    row++;
                }
            }
            assertEquals(refLocs.length / 4, row, c.id + ": number of class locations");
            assertTrue(row > 0, c.id + ": some foreground sampled");

            if (!c.twoD) {
                // with a low-resolution stage first (3d_lowres + 3d_fullres): stage 1 is the same full-res output
                double[] lowres = {c.target[0] * 2, c.target[1] * 2, c.target[2] * 2};
                Path two = dir.resolve("two_" + c.id);
                pre.run(List.of(lowres, c.target), dir.resolve("cropped_" + c.id), two, "id", new int[] {1, 2});
                NpyArray low = PreprocessedDataFolder.stage(two, "id", 0).readData(c.id);
                int[] sh = CasePreprocessor.permute(c.shape, c.transpose);
                double[] sp = {c.spacing[c.transpose[0]], c.spacing[c.transpose[1]], c.spacing[c.transpose[2]]};
                int[] ls = SeparateZ.newShape(sh, sp, lowres);
                assertArrayEquals(new int[] {nc, ls[0], ls[1], ls[2]}, low.shape(), c.id + " low-res stage");
                assertEquals(ours, PreprocessedDataFolder.stage(two, "id", 1).readData(c.id), c.id + " stage 1");
            }
        }
    }

    /** Channels (CT-like values inside an ellipsoid, 0 outside) and a seg with -1 outside, blobs of 0/1/2 inside. */
    static float[][] syntheticCase(Random rnd, int[] shape, int channels) {
        int n = shape[0] * shape[1] * shape[2];
        float[] blobs = ResamplingParityTest.randomLabels(rnd, shape);
        float[][] out = new float[channels + 1][n];
        float[] seg = out[channels];
        int i = 0;
        for (int z = 0; z < shape[0]; z++) {
            for (int y = 0; y < shape[1]; y++) {
                for (int x = 0; x < shape[2]; x++) {
                    double dz = (z + 0.5) / shape[0] - 0.5;
                    double dy = (y + 0.5) / shape[1] - 0.5;
                    double dx = (x + 0.5) / shape[2] - 0.5;
                    boolean inside = dz * dz + dy * dy + dx * dx < 0.2;
                    seg[i] = inside ? Math.max(0, blobs[i]) : -1;
                    for (int c = 0; c < channels; c++) {
                        out[c][i] = inside ? (float) (300 + 60 * seg[i] + 80 * rnd.nextGaussian()) : 0f;
                    }
                    i++;
                }
            }
        }
        return out;
    }

    static float[] concat(float[][] parts) {
        int n = 0;
        for (float[] p : parts) {
            n += p.length;
        }
        float[] out = new float[n];
        int o = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, out, o, p.length);
            o += p.length;
        }
        return out;
    }
}
