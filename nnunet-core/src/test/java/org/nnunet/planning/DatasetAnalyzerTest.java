package org.nnunet.planning;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nnunet.cropping.CroppedDataFolder;
import org.nnunet.cropping.ImageCropper;
import org.nnunet.image.ImageGeometry;

/** DatasetAnalyzer (fingerprint) on cropped synthetic cases, intensity statistics cross-checked with numpy. */
class DatasetAnalyzerTest {

    @TempDir
    Path dir;

    @Test
    @DisplayName("fingerprint: sizes, spacings, classes > 0, size_reductions; CT intensity properties = numpy stats of"
            + " modality[seg > 0][::10] per case and pooled (median, mean, sd ddof 0, min, max, p99.5, p0.5)")
    void fingerprintWithCtIntensities() throws Exception {
        CroppedDataFolder folder = new CroppedDataFolder(dir);
        Random r = new Random(7);
        int[] shape = {10, 12, 14};
        for (int c = 0; c < 3; c++) {
            float[] img = new float[10 * 12 * 14];
            float[] seg = new float[img.length];
            for (int i = 0; i < img.length; i++) {
                img[i] = (float) (r.nextGaussian() * 300 - 200);
                seg[i] = r.nextDouble() < 0.3 ? 1 + r.nextInt(2) : 0;
            }
            img[0] = 0; // the nonzero mask stays the whole box: no voxel is 0 on every channel except this corner
            ImageGeometry g = ImageGeometry.identity(new double[] {2.5, 0.7, 0.7 + c * 0.1});
            folder.write(ImageCropper.crop("ct_" + c, List.of(img), seg, shape, g, List.of("ct_" + c + ".nii.gz"),
                    "seg.nii.gz"));
        }
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("0", "background");
        labels.put("1", "organ");
        labels.put("2", "tumour");
        Map<Integer, String> modalities = Map.of(0, "CT");
        assertTrue(DatasetAnalyzer.needsIntensityProperties(modalities));
        assertFalse(DatasetAnalyzer.needsIntensityProperties(Map.of(0, "MRI", 1, "CTA")));
        DatasetFingerprint fp = DatasetAnalyzer.analyze(folder, labels, modalities, true, 2);

        assertEquals(List.of("ct_0", "ct_1", "ct_2"), fp.caseIdentifiers());
        assertArrayEquals(new int[] {1, 2}, fp.allClasses());
        assertArrayEquals(new double[] {2.5, 0.7, 0.8}, fp.allSpacings().get(1), 1e-12);
        assertArrayEquals(new int[] {10, 12, 14}, fp.allSizes().get(2));
        assertEquals(1.0, fp.sizeReductions().get("ct_0"));

        String python = System.getProperty("nnunet.python", "/usr/bin/python3");
        assumeTrue(Files.isExecutable(Path.of(python)), "no python at " + python);
        String script = "import numpy as np,sys\n"
                + "vs=[]\n"
                + "for f in sys.argv[1:]:\n"
                + "    a=np.load(f); vs.append(list(a[0][a[-1]>0][::10]))\n"
                + "def st(v): return [np.median(v),np.mean(v),np.std(v),np.min(v),np.max(v),"
                + "np.percentile(v,99.5),np.percentile(v,0.5)]\n"
                + "w=[]\n"
                + "for v in vs: w+=v\n"
                + "for row in [st(w)]+[st(v) for v in vs]: print(' '.join(repr(float(x)) for x in row))\n";
        Process p = new ProcessBuilder(python, "-c", script, folder.dataFile("ct_0").toString(),
                folder.dataFile("ct_1").toString(), folder.dataFile("ct_2").toString()).redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertEquals(0, p.waitFor(), out);
        String[] rows = out.split("\n");
        IntensityProperties ip = fp.intensityProperties().get(0);
        assertStats(rows[0], new IntensityStatistics(ip.median(), ip.mean(), ip.sd(), ip.mn(), ip.mx(),
                ip.percentile99_5(), ip.percentile00_5()));
        for (int c = 0; c < 3; c++) {
            assertStats(rows[c + 1], ip.localProps().get("ct_" + c));
        }
    }

    @Test
    @DisplayName("_compute_stats: a case without foreground gets NaN statistics, which survive the JSON round trip")
    void emptyForegroundIsNaN() throws Exception {
        IntensityStatistics none = IntensityStatistics.of(new float[0]);
        assertTrue(Double.isNaN(none.mean()) && Double.isNaN(none.percentile99_5()));
        DatasetFingerprint fp = new DatasetFingerprint(List.of("a"), List.of(new int[] {1, 2, 3}),
                List.of(new double[] {1, 1, 1}), new int[] {1}, Map.of("0", "background", "1", "x"), Map.of(0, "CT"),
                Map.of(0, IntensityProperties.of(none, Map.of("a", none))), Map.of("a", 1.0),
                Map.of("a", new DatasetFingerprint.SegmentationProps(new double[] {0})));
        Path f = dir.resolve("dataset_properties.json");
        DatasetAnalyzer.write(fp, f);
        DatasetFingerprint back = DatasetAnalyzer.read(f);
        assertTrue(Double.isNaN(back.intensityProperties().get(0).localProps().get("a").sd()));
        assertArrayEquals(new int[] {1, 2, 3}, back.allSizes().get(0));
    }

    /** numpy reduces float32 in float32 (pairwise sums); we reduce in double: agree to float32 precision. */
    private static void assertStats(String row, IntensityStatistics s) {
        double[] e = java.util.Arrays.stream(row.trim().split(" ")).mapToDouble(Double::parseDouble).toArray();
        double[] got = {s.median(), s.mean(), s.sd(), s.mn(), s.mx(), s.percentile99_5(), s.percentile00_5()};
        for (int i = 0; i < e.length; i++) {
            assertEquals(e[i], got[i], 1e-4 * Math.max(1, Math.abs(e[i])), "statistic " + i + " of " + row);
        }
        assertEquals(e[3], got[3], 0, "min is exact");
        assertEquals(e[4], got[4], 0, "max is exact");
    }
}
