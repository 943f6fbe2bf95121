package org.nnunet.dataloading;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nnunet.augmentation.PatchBatch;
import org.nnunet.augmentation.Sample;
import org.nnunet.preprocessing.PreprocessedCase;
import org.nnunet.preprocessing.PreprocessedDataFolder;
import org.nnunet.util.LabelNpz;
import org.nnunet.util.MappedNpy;

class DataLoaderTest {
    static final int[] SHAPE = {20, 30, 25};
    static final int[] FG_VOXEL = {3, 27, 4};

    @TempDir
    static Path dir;
    static PreprocessedDataset dataset;

    /** One case whose data value encodes the voxel index, one foreground voxel of class 2, the rest background. */
    @BeforeAll
    static void writeCase() throws Exception {
        int n = SHAPE[0] * SHAPE[1] * SHAPE[2];
        float[] data = new float[n];
        float[] seg = new float[n];
        for (int i = 0; i < n; i++) {
            data[i] = i + 1;
        }
        seg[(FG_VOXEL[0] * SHAPE[1] + FG_VOXEL[1]) * SHAPE[2] + FG_VOXEL[2]] = 2;
        PreprocessedDataFolder folder = new PreprocessedDataFolder(dir.resolve("stage0"));
        folder.write("case_1", new PreprocessedCase(new float[][] {data}, seg, SHAPE, new double[] {1, 1, 1},
                Map.of(1, new int[0][], 2, new int[][] {FG_VOXEL})), new ObjectMapper().createObjectNode());
        dataset = PreprocessedDataset.open(folder, List.of("case_1"));
    }

    @Test
    @DisplayName("get_do_oversample: the last third of a batch is forced to foreground, Python rounding")
    void lastThirdIsForcedForeground() {
        assertEquals(List.of(false, false, false, false, false, false, true, true, true), forcedFlags(9));
        assertEquals(List.of(false, true), forcedFlags(2));
        // 50 * (1 - 0.33) = 33.5 and Python's round(33.5) = 34 (half to even): samples 34..49 are forced
        assertFalse(ForegroundOversampling.forced(33, 50, 0.33));
        assertTrue(ForegroundOversampling.forced(34, 50, 0.33));
    }

    private static List<Boolean> forcedFlags(int bs) {
        List<Boolean> flags = new ArrayList<>();
        for (int j = 0; j < bs; j++) {
            flags.add(ForegroundOversampling.forced(j, bs, ForegroundOversampling.NNUNET_V2_PERCENT));
        }
        return flags;
    }

    @Test
    @DisplayName("DataLoader3D: patch copied from the case, data padded with 0 and seg with -1 outside")
    void patchesAreCopiedAndPadded() {
        int[] patch = {24, 36, 28};
        DataLoader loader = new DataLoader(dataset, patch, new int[] {16, 24, 20}, 2, 0.0, 7);
        for (int trial = 0; trial < 20; trial++) {
            Sample s = loader.nextBatch().samples().get(0);
            assertArrayEquals(patch, s.shape());
            // recover the patch origin from a voxel inside the case, then check every voxel
            int inside = -1;
            for (int i = 0; i < s.data()[0].length && inside < 0; i++) {
                if (s.data()[0][i] > 0) {
                    inside = i;
                }
            }
            int src = (int) s.data()[0][inside] - 1;
            int[] o = {src / (SHAPE[1] * SHAPE[2]) - inside / (patch[1] * patch[2]),
                    (src / SHAPE[2]) % SHAPE[1] - (inside / patch[2]) % patch[1], src % SHAPE[2] - inside % patch[2]};
            for (int z = 0; z < patch[0]; z++) {
                for (int y = 0; y < patch[1]; y++) {
                    for (int x = 0; x < patch[2]; x++) {
                        int i = (z * patch[1] + y) * patch[2] + x;
                        int cz = o[0] + z, cy = o[1] + y, cx = o[2] + x;
                        boolean in = cz >= 0 && cz < SHAPE[0] && cy >= 0 && cy < SHAPE[1] && cx >= 0 && cx < SHAPE[2];
                        float expected = in ? (cz * SHAPE[1] + cy) * SHAPE[2] + cx + 1 : 0;
                        assertEquals(expected, s.data()[0][i], "data at " + z + "," + y + "," + x);
                        if (!in) {
                            assertEquals(-1f, s.seg()[0][i]);
                        }
                    }
                }
            }
        }
    }

    @Test
    @DisplayName("DataLoader3D: random patch origins span [-need_to_pad//2, shape + need_to_pad//2 + need_to_pad%2 - patch]")
    void randomOriginsSpanV1Range() {
        int[] patch = {24, 36, 28};
        int[] fin = {16, 24, 20};
        DataLoader loader = new DataLoader(dataset, patch, fin, 1, 0.0, 3);
        // axis 0: need 8 -> [-4, 20 + 4 - 24 = 0]; axis 1: need 12 -> [-6, 30 + 6 - 36 = 0];
        // axis 2: need 8 but 8 + 25 >= 28 -> [-4, 25 + 4 - 28 = 1]
        int[] min = {99, 99, 99};
        int[] max = {-99, -99, -99};
        for (int t = 0; t < 400; t++) {
            Sample s = loader.nextBatch().samples().get(0);
            int[] o = origin(s, patch);
            for (int d = 0; d < 3; d++) {
                min[d] = Math.min(min[d], o[d]);
                max[d] = Math.max(max[d], o[d]);
            }
        }
        assertArrayEquals(new int[] {-4, -6, -4}, min);
        assertArrayEquals(new int[] {0, 0, 1}, max);
    }

    @Test
    @DisplayName("DataLoader3D: a forced sample is centred on a voxel of a foreground class")
    void forcedSampleIsCentredOnForeground() {
        int[] patch = {24, 36, 28};
        DataLoader loader = new DataLoader(dataset, patch, new int[] {16, 24, 20}, 3, 0.33, 11);
        PatchBatch b = loader.nextBatch();
        Sample forced = b.samples().get(2);
        // lb = max(lower, voxel - patch // 2): (3-12, 27-18, 4-14) clamped to (-4, 9, -4)
        assertArrayEquals(new int[] {-4, 9, -4}, origin(forced, patch));
        int i = ((FG_VOXEL[0] + 4) * patch[1] + (FG_VOXEL[1] - 9)) * patch[2] + (FG_VOXEL[2] + 4);
        assertEquals(2f, forced.seg()[0][i]);
    }

    @Test
    @DisplayName("DataLoader2D: forced samples come from a slice that contains the class")
    void twoDimensionalForcedSliceContainsTheClass() {
        int[] patch = {40, 36};
        DataLoader loader = new DataLoader(dataset, patch, new int[] {32, 28}, 3, 0.33, 5);
        for (int t = 0; t < 5; t++) {
            Sample forced = loader.nextBatch().samples().get(2);
            assertArrayEquals(patch, forced.shape());
            float sliceOfFirst = -1;
            for (float v : forced.data()[0]) {
                if (v > 0) {
                    sliceOfFirst = (int) (v - 1) / (SHAPE[1] * SHAPE[2]);
                    break;
                }
            }
            assertEquals(FG_VOXEL[0], sliceOfFirst);
            boolean hasClass = false;
            for (float v : forced.seg()[0]) {
                hasClass |= v == 2f;
            }
            assertTrue(hasClass);
        }
    }

    private static int[] origin(Sample s, int[] patch) {
        float[] d = s.data()[0];
        for (int i = 0; i < d.length; i++) {
            if (d[i] > 0) {
                int src = (int) d[i] - 1;
                return new int[] {src / (SHAPE[1] * SHAPE[2]) - i / (patch[1] * patch[2]),
                        (src / SHAPE[2]) % SHAPE[1] - (i / patch[2]) % patch[1], src % SHAPE[2] - i % patch[2]};
            }
        }
        throw new AssertionError("patch has no voxel inside the case");
    }

    @Test
    @DisplayName("MultiThreadedAugmenter order: batches round-robin over workers, failures surface in the consumer")
    void backgroundGeneratorIsRoundRobinAndPropagatesFailures() {
        List<Supplier<PatchBatch>> workers = new ArrayList<>();
        for (int w = 0; w < 2; w++) {
            AtomicInteger count = new AtomicInteger();
            int worker = w;
            workers.add(() -> {
                int k = count.getAndIncrement();
                if (worker == 1 && k == 2) {
                    throw new IllegalStateException("boom");
                }
                return new PatchBatch(List.of(new Sample(new float[][] {{worker * 100 + k}}, new float[][] {{0}},
                        new int[] {1, 1})));
            });
        }
        try (BackgroundBatchGenerator gen = new BackgroundBatchGenerator(workers, 2, "test")) {
            List<Float> seen = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                seen.add(gen.next().samples().get(0).data()[0][0]);
            }
            assertEquals(List.of(0f, 100f, 1f, 101f, 2f), seen);
            IllegalStateException e = assertThrows(IllegalStateException.class, gen::next);
            assertTrue(e.getMessage().contains("boom"));
        }
    }

    @Test
    @DisplayName("DataLoader3D has_prev_stage: seg channel 1 is the previous stage's map cut from the same box, 0-padded")
    void previousStageSegmentationRidesAlong() throws Exception {
        int n = SHAPE[0] * SHAPE[1] * SHAPE[2];
        int[] prev = new int[n];
        for (int i = 0; i < n; i++) {
            prev[i] = 1 + i % 2; // labels 1 and 2 alternate, so 0 only appears as padding
        }
        Path predNextStage = dir.resolve("pred_next_stage");
        LabelNpz.write(PreviousStageSegmentations.file(predNextStage, "case_1"), SHAPE, prev);
        Map<String, MappedNpy> maps = PreviousStageSegmentations.unpack(predNextStage, dataset,
                dir.resolve("segs_prev_stage"));
        int[] patch = {24, 36, 28};
        DataLoader loader = new DataLoader(dataset, patch, new int[] {16, 24, 20}, 2, 0.0, 7, maps);
        for (int trial = 0; trial < 10; trial++) {
            Sample s = loader.nextBatch().samples().get(0);
            assertEquals(2, s.seg().length);
            for (int i = 0; i < s.voxels(); i++) {
                float d = s.data()[0][i]; // data = voxel index + 1, 0 where padded
                float expected = d == 0 ? 0 : 1 + ((int) d - 1) % 2;
                assertEquals(expected, s.seg()[1][i], "voxel " + i);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> new DataLoader(dataset, new int[] {30, 25},
                new int[] {30, 25}, 2, 0.0, 7, maps), "2D has no cascade");
    }
}
