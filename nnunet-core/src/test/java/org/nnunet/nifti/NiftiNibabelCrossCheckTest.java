package org.nnunet.nifti;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nnunet.image.ImageGeometry;
import org.nnunet.image.Volume;

/**
 * Our reader and writer against nibabel 5.0 (the reference nnU-Net's ecosystem trusts): same shapes, affines
 * (our LPS geometry turned back into RAS, tolerance 1e-5) and voxels (sha256 of float32 values when unscaled,
 * sums and samples when nibabel applies scl_slope/scl_inter in its own precision).
 */
class NiftiNibabelCrossCheckTest {
    private static final double AFFINE_TOL = 1e-5;

    @TempDir
    Path tmp;

    @BeforeAll
    static void needsPython() {
        assumeTrue(NibabelScript.available(), "no python at " + NibabelScript.PYTHON);
    }

    @Test
    @DisplayName("all 468 Task04_Hippocampus files and the ch2/aal templates read as nibabel reads them")
    void realFilesMatchNibabel() throws Exception {
        Path hippocampus = NiftiIOTest.HIPPOCAMPUS;
        assumeTrue(Files.isDirectory(hippocampus), "shared data absent");
        List<String> files = new ArrayList<>();
        for (String sub : List.of("imagesTr", "labelsTr", "imagesTs")) {
            try (Stream<Path> s = Files.list(hippocampus.resolve(sub))) {
                s.map(Path::toString).filter(n -> n.endsWith(".nii.gz") && !n.contains("/._")).sorted()
                        .forEach(files::add);
            }
        }
        assertEquals(468, files.size());
        for (String template : List.of("ch2.nii.gz", "aal.nii.gz")) {
            Path p = Path.of("/usr/share/mricron/templates", template);
            if (Files.exists(p)) {
                files.add(p.toString());
            }
        }
        List<JsonNode> reference = NibabelScript.run(tmp, List.of("summarize"), files);
        assertEquals(files.size(), reference.size());
        for (JsonNode expected : reference) {
            assertMatches(expected, NiftiIO.readChannels(Path.of(expected.get("path").asText())));
        }
    }

    @Test
    @DisplayName("files nibabel writes: 9 datatypes x NIfTI-1/2 x little/big endian x scaled or not, qform-only, "
            + "sform-only, no xform, 4D, header extension, sheared sform")
    void nibabelWrittenFiles() throws Exception {
        List<JsonNode> reference = NibabelScript.run(tmp, List.of("generate", tmp.toString()), List.of());
        assertEquals(9 * 2 * 2 * 2 + 6, reference.size());
        int scaled = 0;
        int bigEndian = 0;
        for (JsonNode expected : reference) {
            Path file = Path.of(expected.get("path").asText());
            NiftiImage image = NiftiIO.readWithHeader(file);
            assertEquals(expected.get("datatype").asInt(), image.header().datatypeCode(), file.toString());
            assertEquals(expected.get("version").asInt(), image.header().version(), file.toString());
            assertEquals(expected.get("endian").asText().equals(">") ? ByteOrder.BIG_ENDIAN
                    : ByteOrder.LITTLE_ENDIAN, image.header().byteOrder(), file.toString());
            assertMatches(expected, image.volumes());
            scaled += expected.get("scaled").asBoolean() ? 1 : 0;
            bigEndian += expected.get("endian").asText().equals(">") ? 1 : 0;
        }
        assertEquals(36, scaled);
        assertEquals(36, bigEndian);
        assertEquals(3, NiftiIO.readChannels(tmp.resolve("four_channels_nifti2.nii.gz")).size());
        assertEquals(400, NiftiIO.readWithHeader(tmp.resolve("with_extension.nii")).header().dataOffset());
    }

    @Test
    @DisplayName("nibabel reads what we write, in every datatype, NIfTI-1/2, both byte orders: values, sform = qform")
    void nibabelReadsOurFiles() throws Exception {
        float[] source = new float[4 * 5 * 6];
        for (int i = 0; i < source.length; i++) {
            source[i] = (i - 40) * 1234.567f;
        }
        float[] special = {2.5f, 3.5f, -2.5f, Float.NaN, 1e20f, -1e20f, 0.49f, -0.51f};
        System.arraycopy(special, 0, source, 0, special.length);
        Map<String, float[]> expectedValues = new TreeMap<>();
        List<String> files = new ArrayList<>();
        int n = 0;
        for (NiftiDataType type : NiftiDataType.values()) {
            for (int version : new int[] {1, 2}) {
                for (ByteOrder order : List.of(ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN)) {
                    n++;
                    float[] data = source.clone();
                    if (type.isFloatingPoint()) {
                        data[3] = 0.1f; // keep NaN out of sums
                    }
                    // alternate right- and left-handed geometries so qfac -1 is exercised
                    ImageGeometry g = geometry(n % 2 == 0, n);
                    String name = type + "_v" + version + "_" + (order == ByteOrder.BIG_ENDIAN ? "be" : "le")
                            + (n % 3 == 0 ? ".nii" : ".nii.gz");
                    Path file = tmp.resolve(name);
                    NiftiIO.write(new Volume(new int[] {4, 5, 6}, data, g), type, file, like(version, order));
                    files.add(file.toString());
                    expectedValues.put(file.toString(), converted(data, type));
                }
            }
        }
        List<JsonNode> reference = NibabelScript.run(tmp, List.of("summarize"), files);
        assertEquals(files.size(), reference.size());
        for (JsonNode seen : reference) {
            String file = seen.get("path").asText();
            Volume ours = NiftiIO.read(Path.of(file));
            float[] values = expectedValues.get(file);
            assertEquals(sha256(List.of(values)), seen.get("sha256").asText(), file);
            assertArrayEquals(values, ours.data(), file);
            assertAffine(seen.get("affine"), NiftiGeometry.toRasAffine(ours.geometry()), file);
            assertAffine(seen.get("qform"), NiftiGeometry.toRasAffine(ours.geometry()), file + " qform");
            assertEquals(1, seen.get("qform_code").asInt());
            assertEquals(1, seen.get("sform_code").asInt());
        }
        // the rounding and clamping rule on the special values, as nibabel sees them in the uint8 / int8 files
        float[] uint8 = expectedValues.get(files.get(0));
        assertArrayEquals(new float[] {2, 4, 0, 0, 255, 0, 0, 0}, java.util.Arrays.copyOf(uint8, 8));
        float[] int8 = expectedValues.get(files.get(NiftiDataType.INT8.ordinal() * 4));
        assertArrayEquals(new float[] {2, 4, -2, 0, 127, -128, 0, -1}, java.util.Arrays.copyOf(int8, 8));
    }

    private static NiftiHeader like(int version, ByteOrder order) {
        return new NiftiHeader(version, order, new long[] {3, 1, 1, 1, 1, 1, 1, 1}, NiftiDataType.FLOAT32.code,
                new double[8], 0, 1, 0, 0, 0, new double[3], new double[3], new double[12],
                NiftiHeader.UNITS_MM_SEC, 0, "cross-check");
    }

    static ImageGeometry geometry(boolean leftHanded, int seed) {
        double a = 0.2 + 0.1 * seed;
        double b = 0.5 - 0.07 * seed;
        // rotation about z by a, then about x by b; a left-handed one flips the third axis
        double[] rz = {Math.cos(a), -Math.sin(a), 0, Math.sin(a), Math.cos(a), 0, 0, 0, 1};
        double[] rx = {1, 0, 0, 0, Math.cos(b), -Math.sin(b), 0, Math.sin(b), Math.cos(b)};
        double[] d = new double[9];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                for (int k = 0; k < 3; k++) {
                    d[3 * i + j] += rz[3 * i + k] * rx[3 * k + j];
                }
                if (leftHanded && j == 2) {
                    d[3 * i + j] = -d[3 * i + j];
                }
            }
        }
        return new ImageGeometry(new double[] {0.75, 1.25, 3.0}, new double[] {-12.5, 101.0, -7.25}, d);
    }

    /** Integer types: round half to even, clamp to the type's range, NaN to 0 (our documented writing rule). */
    private static float[] converted(float[] data, NiftiDataType type) {
        float[] out = data.clone();
        if (type.isFloatingPoint()) {
            return out;
        }
        for (int i = 0; i < out.length; i++) {
            double v = Float.isNaN(out[i]) ? 0 : Math.rint(out[i]);
            out[i] = (float) Math.max(type.min, Math.min(type.max, v));
        }
        return out;
    }

    private static void assertMatches(JsonNode expected, List<Volume> volumes) throws NoSuchAlgorithmException {
        String file = expected.get("path").asText();
        JsonNode shape = expected.get("shape");
        Volume first = volumes.get(0);
        int[] s = first.shape();
        assertArrayEquals(new int[] {shape.get(0).asInt(), shape.get(1).asInt(), shape.get(2).asInt()},
                new int[] {s[2], s[1], s[0]}, file);
        assertEquals(shape.size() > 3 ? shape.get(3).asInt() : 1, volumes.size(), file);
        assertAffine(expected.get("affine"), NiftiGeometry.toRasAffine(first.geometry()), file);

        double sum = 0;
        double sumsq = 0;
        for (Volume v : volumes) {
            for (float x : v.data()) {
                sum += x;
                sumsq += (double) x * x;
            }
        }
        double tol = expected.get("scaled").asBoolean() ? 1e-6 : 1e-11;
        // summation order differs (numpy is pairwise): scale the sum's tolerance by the values' magnitude
        double magnitude = Math.sqrt(expected.get("sumsq").asDouble());
        assertClose(expected.get("sum").asDouble(), sum, tol * Math.max(1, magnitude), file + " sum");
        assertClose(expected.get("sumsq").asDouble(), sumsq, tol, file + " sum of squares");
        int perVolume = first.voxelCount();
        for (JsonNode sample : expected.get("samples")) {
            int i = sample.get(0).asInt();
            assertClose(sample.get(1).asDouble(), volumes.get(i / perVolume).data()[i % perVolume], tol,
                    file + " voxel " + i);
        }
        if (!expected.get("scaled").asBoolean()) {
            List<float[]> arrays = volumes.stream().map(Volume::data).toList();
            assertEquals(expected.get("sha256").asText(), sha256(arrays), file + " sha256 of all voxels");
        }
    }

    private static void assertAffine(JsonNode rows, double[] ours, String file) {
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 4; c++) {
                double e = rows.get(r).get(c).asDouble();
                assertEquals(e, ours[4 * r + c], AFFINE_TOL, file + " affine[" + r + "][" + c + "]");
            }
        }
    }

    private static void assertClose(double expected, double actual, double tol, String what) {
        assertTrue(Math.abs(expected - actual) <= tol * Math.max(1, Math.abs(expected)),
                what + ": nibabel " + expected + ", ours " + actual);
    }

    static String sha256(List<float[]> arrays) throws NoSuchAlgorithmException {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        for (float[] a : arrays) {
            ByteBuffer b = ByteBuffer.allocate(a.length * 4).order(ByteOrder.LITTLE_ENDIAN);
            b.asFloatBuffer().put(a);
            md.update(b.array());
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
