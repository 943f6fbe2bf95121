package org.nnunet.postprocessing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nnunet.evaluation.LabelVolume;
import org.nnunet.image.ImageGeometry;

class PostprocessingTest {
    static final int[] SHAPE = {6, 8, 10};

    static int[] empty() {
        return new int[SHAPE[0] * SHAPE[1] * SHAPE[2]];
    }

    static void fill(int[] a, int label, int z0, int z1, int y0, int y1, int x0, int x1) {
        for (int z = z0; z < z1; z++) {
            for (int y = y0; y < y1; y++) {
                for (int x = x0; x < x1; x++) {
                    a[(z * SHAPE[1] + y) * SHAPE[2] + x] = label;
                }
            }
        }
    }

    static LabelVolume vol(int[] labels) {
        return new LabelVolume(SHAPE, labels, ImageGeometry.identity(new double[] {2, 1, 1}));
    }

    @Test
    @DisplayName("scipy label default structure: face neighbours join, edge/corner neighbours do not")
    void sixConnectivity() {
        boolean[] m = new boolean[27];
        m[0] = true;          // (0,0,0)
        m[1] = true;          // (0,0,1) face neighbour of (0,0,0)
        m[4] = true;          // (0,1,1) edge neighbour of (0,0,0), face neighbour of (0,0,1)
        m[26] = true;         // (2,2,2) isolated
        m[9 + 3 + 2] = true;  // (1,1,2): edge neighbour of (0,1,1)... corner of nothing face-adjacent
        ConnectedComponents.Result r = ConnectedComponents.label(m, new int[] {3, 3, 3});
        assertEquals(3, r.count());
        assertArrayEquals(new long[] {3, 1, 1}, r.sizes());
        assertEquals(1, r.labelMap()[4]);
        assertEquals(2, r.labelMap()[14], "numbered in raster order of the first voxel");
        assertEquals(3, r.labelMap()[26]);
    }

    @Test
    @DisplayName("remove_all_but_the_largest_connected_component: smaller blobs removed, ties for largest all kept")
    void keepsLargest() {
        int[] a = empty();
        fill(a, 1, 0, 2, 0, 2, 0, 2);     // 8 voxels
        fill(a, 1, 4, 5, 4, 5, 4, 5);     // 1 voxel
        fill(a, 2, 0, 1, 6, 8, 0, 2);     // 4 voxels
        fill(a, 2, 5, 6, 6, 8, 8, 10);    // 4 voxels, ties
        LargestComponentFilter.Result r = LargestComponentFilter.apply(a, SHAPE,
                List.of(Region.single(1), Region.single(2)), 2.0, null);
        int[] expected = a.clone();
        expected[(4 * 8 + 4) * 10 + 4] = 0;
        assertArrayEquals(expected, r.labels());
        assertEquals(16.0, r.keptSize().get(Region.single(1)));
        assertEquals(2.0, r.largestRemoved().get(Region.single(1)));
        assertNull(r.largestRemoved().get(Region.single(2)));
    }

    @Test
    @DisplayName("remove_all_but_the_largest_connected_component: a joint region (1, 2) is one mask")
    void jointRegion() {
        int[] a = empty();
        fill(a, 1, 0, 2, 0, 2, 0, 2);     // 8 voxels of 1 ...
        fill(a, 2, 2, 3, 0, 2, 0, 2);     // ... touching 4 voxels of 2: one component of 12
        fill(a, 2, 5, 6, 7, 8, 9, 10);    // isolated 2
        int[] out = LargestComponentFilter.apply(a, SHAPE, List.of(Region.joint(List.of(1, 2))), 1, null).labels();
        assertEquals(2, out[(2 * 8) * 10]);
        assertEquals(0, out[(5 * 8 + 7) * 10 + 9]);
        // with a minimum valid object size only smaller objects go
        int[] kept = LargestComponentFilter.apply(a, SHAPE, List.of(Region.joint(List.of(1, 2))), 1,
                Map.of(Region.joint(List.of(1, 2)), 1.0)).labels();
        assertEquals(2, kept[(5 * 8 + 7) * 10 + 9]);
    }

    /** Cases given in memory. */
    static PostprocessingDeterminer.Cases cases(List<int[]> preds, List<int[]> refs) {
        return new PostprocessingDeterminer.Cases() {
            @Override
            public int size() {
                return preds.size();
            }

            @Override
            public LabelVolume prediction(int i) {
                return vol(preds.get(i));
            }

            @Override
            public LabelVolume reference(int i) {
                return vol(refs.get(i));
            }
        };
    }

    @Test
    @DisplayName("determine_postprocessing: spurious far blob -> all-foreground step accepted (class 1 up, 2 equal)")
    void foregroundStepAccepted() throws IOException {
        int[] ref = empty();
        fill(ref, 1, 1, 4, 1, 4, 1, 4);   // 27
        fill(ref, 2, 1, 4, 4, 6, 1, 4);   // 18, touching class 1
        int[] pred = ref.clone();
        fill(pred, 1, 5, 6, 7, 8, 8, 10); // 2 false-positive voxels far away
        PostprocessingPlan plan = new PostprocessingDeterminer(0).determine(cases(List.of(pred), List.of(ref)),
                List.of(1, 2), "validation_raw", "validation_final");
        assertEquals(List.of(Region.joint(List.of(1, 2))), plan.forWhichClasses());
        assertEquals(54.0 / 56, plan.dcPerClassRaw().get("1"), 1e-15);
        assertEquals(1.0, plan.dcPerClassPpAll().get("1"), 1e-15);
        assertEquals(1.0, plan.dcPerClassPpAll().get("2"), 1e-15);
        // per-class step runs on the step-1 result and cannot improve a perfect prediction
        assertEquals(1.0, plan.dcPerClassPpPerClass().get("1"), 1e-15);
        assertEquals(1, plan.numSamples());
    }

    @Test
    @DisplayName("determine_postprocessing: all-foreground step rejected when a class gets worse, per-class step "
            + "accepted for the class that improves")
    void perClassStep() throws IOException {
        int[] ref = empty();
        fill(ref, 1, 0, 3, 0, 3, 0, 3);   // 27
        fill(ref, 2, 4, 6, 5, 8, 6, 10);  // 24, separate from class 1
        int[] pred = ref.clone();
        fill(pred, 1, 5, 6, 0, 1, 0, 1);  // 1 spurious class-1 voxel
        // a second, correct case where class 2 is larger than class 1: the all-foreground step would delete class 1
        int[] ref2 = empty();
        fill(ref2, 1, 0, 1, 0, 1, 0, 2);  // 2 voxels
        fill(ref2, 2, 3, 6, 3, 8, 3, 10); // 105 voxels
        PostprocessingPlan plan = new PostprocessingDeterminer(0).determine(
                cases(List.of(pred, ref2), List.of(ref, ref2)), List.of(1, 2), "raw", "final");
        assertEquals(List.of(Region.single(1)), plan.forWhichClasses());
        // case 1 loses class 2 (Dice 0) in the all-foreground step, case 2 loses class 1 (Dice 0)
        assertEquals(0.5, plan.dcPerClassPpAll().get("2"), 1e-15);
        assertEquals((54.0 / 55 + 1) / 2, plan.dcPerClassRaw().get("1"), 1e-15);
        assertEquals(1.0, plan.dcPerClassPpPerClass().get("1"), 1e-15);
        assertEquals(1.0, plan.dcPerClassPpPerClass().get("2"), 1e-15);
    }

    @Test
    @DisplayName("determine_postprocessing: one class -> only the all-foreground step, written as [[1]]")
    void singleClass(@TempDir Path dir) throws IOException {
        int[] ref = empty();
        fill(ref, 1, 1, 4, 1, 4, 1, 4);
        int[] pred = ref.clone();
        fill(pred, 1, 5, 6, 7, 8, 8, 10);
        PostprocessingPlan plan = new PostprocessingDeterminer(0).determine(cases(List.of(pred), List.of(ref)),
                List.of(1), "validation_raw", "validation_final");
        assertEquals(List.of(Region.joint(List.of(1))), plan.forWhichClasses());
        assertTrue(plan.dcPerClassPpPerClass().isEmpty());
        Path f = dir.resolve(PostprocessingPlan.FILE_NAME);
        plan.write(f);
        String text = Files.readString(f);
        assertTrue(text.replaceAll("\\s", "").contains("\"for_which_classes\":[[1]]"), text);
        assertTrue(text.contains("\"min_valid_object_sizes\" : \"None\""), text);
        PostprocessingPlan back = PostprocessingPlan.read(f);
        assertEquals(plan.forWhichClasses(), back.forWhichClasses());
        assertNull(back.minValidObjectSizes());
        assertEquals(plan.dcPerClassRaw(), back.dcPerClassRaw());
        // and the plan applied removes the blob
        LabelVolume out = new Postprocessor(back).apply(vol(pred));
        assertArrayEquals(ref, out.labels());
    }

    @Test
    @DisplayName("load_postprocessing: v1 advanced-mode min_valid_object_sizes literal is parsed")
    void parsesMinSizes(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("pp.json");
        Files.writeString(f, "{\"for_which_classes\": [[1, 2], 2], "
                + "\"min_valid_object_sizes\": \"{(1, 2): 25089.0, 2: 8.0}\"}");
        PostprocessingPlan p = PostprocessingPlan.read(f);
        assertEquals(List.of(Region.joint(List.of(1, 2)), Region.single(2)), p.forWhichClasses());
        assertEquals(25089.0, p.minValidObjectSizes().get(Region.joint(List.of(1, 2))));
        assertEquals(8.0, p.minValidObjectSizes().get(Region.single(2)));
        assertEquals("{(1, 2): 25089.0, 2: 8.0}", PostprocessingPlan.pythonLiteral(p.minValidObjectSizes()));
    }
}
