package org.nnunet.dataset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nnunet.image.Volume;
import org.nnunet.nifti.NiftiDataType;
import org.nnunet.nifti.NiftiIO;

/**
 * nnUNet_convert_decathlon_task (utils.split_4d / split_4d_nifti) on small Decathlon-style tasks whose NIfTI files
 * are written by nibabel ({@code /usr/bin/python3}, overridable with {@code -Dnnunet.python}), so the 4D input does
 * not depend on our own writer.
 */
class DecathlonConverterTest {

    private static final String PYTHON = System.getProperty("nnunet.python", "/usr/bin/python3");

    /** Voxel [x,y,z,t] = x + 10y + 100z + 1000t + offset (labels: 0/1 checkerboard); affine: spacing (1.5, 2, 2.5), translation (10, 20, 30). */
    private static final String WRITE_NIFTIS = """
            import sys, numpy as np, nibabel as nib
            args = sys.argv[1:]
            for i in range(0, len(args), 4):
                path, channels, offset, dtype = args[i], int(args[i + 1]), int(args[i + 2]), args[i + 3]
                x, y, z, t = np.meshgrid(np.arange(6), np.arange(5), np.arange(4), np.arange(max(channels, 1)),
                                         indexing='ij')
                if dtype == 'label':
                    data = ((x + y + z + t) % 2).astype(np.uint8)
                elif dtype == 'scaled':
                    data = (x + 10 * y + 100 * z + 1000 * t + offset) * 0.37 + 0.1
                else:
                    data = (x + 10 * y + 100 * z + 1000 * t + offset).astype(dtype)
                if channels == 0:
                    data = data[..., 0]
                aff = np.array([[1.5, 0, 0, 10], [0, 2, 0, 20], [0, 0, 2.5, 30], [0, 0, 0, 1]])
                img = nib.Nifti1Image(data, aff)
                if dtype == 'scaled':
                    img.set_data_dtype(np.int16)  # nibabel picks scl_slope / scl_inter to store the floats
                img.set_qform(aff, code=1)
                img.set_sform(aff, code=1)
                nib.save(img, path)
            """;

    @TempDir
    Path tmp;

    private static void python(String script, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(PYTHON, "-c", script));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "python timed out");
        assertEquals(0, p.exitValue(), "python failed: " + out);
    }

    /**
     * A Decathlon folder: training cases 1, 2 and test case 3; images with the given channels (0: 3D) and dtype
     * ({@code scaled}: int16 on disk with scl_slope/scl_inter), 0/1 labels.
     */
    private Path decathlonTask(String name, int channels, String dtype) throws Exception {
        Path task = tmp.resolve(name);
        for (String sub : List.of("imagesTr", "labelsTr", "imagesTs")) {
            Files.createDirectories(task.resolve(sub));
        }
        String c = String.valueOf(channels);
        python(WRITE_NIFTIS, task.resolve("imagesTr/tiny_001.nii.gz").toString(), c, "0", dtype,
                task.resolve("imagesTr/tiny_002.nii.gz").toString(), c, "5", dtype,
                task.resolve("imagesTs/tiny_003.nii.gz").toString(), c, "7", dtype,
                task.resolve("labelsTr/tiny_001.nii.gz").toString(), "0", "0", "label",
                task.resolve("labelsTr/tiny_002.nii.gz").toString(), "0", "0", "label");
        // macOS resource forks, as found in the Decathlon tarballs
        Files.write(task.resolve("imagesTr/._tiny_001.nii.gz"), new byte[] {0, 5, 22, 7});
        Files.write(task.resolve("labelsTr/._tiny_001.nii.gz"), new byte[] {0, 5, 22, 7});
        Files.writeString(task.resolve("dataset.json"), """
                {"name": "Tiny", "description": "fixture", "reference": "none", "licence": "CC-BY-SA 4.0",
                 "relase": "1.0", "tensorImageSize": "4D", "modality": {"0": "FLAIR", "1": "T1w"},
                 "labels": {"0": "background", "1": "edema"}, "numTraining": 2, "numTest": 1,
                 "training": [{"image": "./imagesTr/tiny_001.nii.gz", "label": "./labelsTr/tiny_001.nii.gz"},
                              {"image": "./imagesTr/tiny_002.nii.gz", "label": "./labelsTr/tiny_002.nii.gz"}],
                 "test": ["./imagesTs/tiny_003.nii.gz"]}
                """);
        return task;
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    @DisplayName("split_4d: 4D multi-modal images become one 3D file per modality with geometry and datatype kept")
    void splits4dImages() throws Exception {
        Path raw = tmp.resolve("raw/nnUNet_raw_data");
        DecathlonConverter.Summary s = DecathlonConverter.convert(decathlonTask("Task07_Tiny", 2, "int16"), raw, null, 2);

        Path out = raw.resolve("Task007_Tiny");
        assertEquals(out, s.outputFolder());
        assertEquals("Task007_Tiny", s.task().fullName());
        assertEquals(2, s.trainingCases());
        assertEquals(1, s.testCases());
        assertEquals(3, s.imagesSplit4D());
        assertEquals(0, s.imagesCopied3D());
        assertEquals(List.of("tiny_001_0000.nii.gz", "tiny_001_0001.nii.gz", "tiny_002_0000.nii.gz",
                "tiny_002_0001.nii.gz"), names(out.resolve("imagesTr")));
        assertEquals(List.of("tiny_003_0000.nii.gz", "tiny_003_0001.nii.gz"), names(out.resolve("imagesTs")));
        assertEquals(List.of("tiny_001.nii.gz", "tiny_002.nii.gz"), names(out.resolve("labelsTr")));

        Path second = out.resolve("imagesTr/tiny_002_0001.nii.gz");
        Volume v = NiftiIO.read(second);
        assertArrayEquals(new int[] {4, 5, 6}, v.shape());
        for (int z = 0; z < 4; z++) {
            for (int y = 0; y < 5; y++) {
                for (int x = 0; x < 6; x++) {
                    assertEquals(x + 10 * y + 100 * z + 1000 + 5, v.get(z, y, x), 0f);
                }
            }
        }
        // nibabel's RAS affine diag(1.5, 2, 2.5) + (10, 20, 30) in ITK's LPS convention
        assertArrayEquals(new double[] {1.5, 2, 2.5}, v.geometry().itkSpacing(), 1e-6);
        assertArrayEquals(new double[] {-10, -20, 30}, v.geometry().itkOrigin(), 1e-6);
        assertArrayEquals(new double[] {-1, 0, 0, 0, -1, 0, 0, 0, 1}, v.geometry().itkDirection(), 1e-6);
        NiftiHeaderPeek header = NiftiHeaderPeek.of(second);
        assertEquals(3, header.ndim());
        assertEquals(NiftiDataType.INT16, header.datatype());

        // an independent reader agrees: nibabel sees channel 1 of the source, as int16, with the source affine
        python("""
                import sys, numpy as np, nibabel as nib
                src, dst = nib.load(sys.argv[1]), nib.load(sys.argv[2])
                assert dst.shape == (6, 5, 4), dst.shape
                assert dst.get_data_dtype() == np.int16, dst.get_data_dtype()
                assert np.array_equal(np.asanyarray(dst.dataobj), np.asanyarray(src.dataobj)[..., 1])
                assert np.allclose(dst.affine, src.affine), (dst.affine, src.affine)
                """, tmp.resolve("Task07_Tiny/imagesTr/tiny_002.nii.gz").toString(), second.toString());

        DatasetJson json = DatasetJson.read(out.resolve("dataset.json"));
        assertEquals("1.0", json.release());
        assertEquals(2, json.numTraining());
        assertEquals(new DatasetJson.TrainingCase("./imagesTr/tiny_001.nii.gz", "./labelsTr/tiny_001.nii.gz"),
                json.training().get(0));
        assertEquals(List.of("./imagesTs/tiny_003.nii.gz"), json.test());
        // the converted task passes the integrity check
        assertTrue(new DatasetIntegrityChecker(2).check(out).ok());
    }

    @Test
    @DisplayName("split_4d_nifti copies 3D images byte for byte to _0000; -output_task_id renames; output replaced")
    void copies3dImagesAndOverridesId() throws Exception {
        Path raw = tmp.resolve("raw/nnUNet_raw_data");
        Path task = decathlonTask("Task05_Three", 0, "int16");
        Path stale = Files.createDirectories(raw.resolve("Task123_Three/imagesTr")).resolve("stale_0000.nii.gz");
        Files.write(stale, new byte[] {1});

        DecathlonConverter.Summary s = DecathlonConverter.convert(task, raw, 123, 1);
        Path out = raw.resolve("Task123_Three");
        assertEquals(out, s.outputFolder());
        assertEquals(3, s.imagesCopied3D());
        assertEquals(0, s.imagesSplit4D());
        assertFalse(Files.exists(stale), "v1 removes an existing output folder first");
        assertEquals(List.of("tiny_001_0000.nii.gz", "tiny_002_0000.nii.gz"), names(out.resolve("imagesTr")));
        assertArrayEquals(Files.readAllBytes(task.resolve("imagesTs/tiny_003.nii.gz")),
                Files.readAllBytes(out.resolve("imagesTs/tiny_003_0000.nii.gz")));
    }

    @Test
    @DisplayName("a 4D image with scl_slope/scl_inter is split into float32 files holding the scaled values")
    void splitsScaledImagesAsFloat() throws Exception {
        Path raw = tmp.resolve("raw/nnUNet_raw_data");
        Path task = decathlonTask("Task08_Scaled", 2, "scaled");
        DecathlonConverter.convert(task, raw, null, 2);
        Path dst = raw.resolve("Task008_Scaled/imagesTr/tiny_001_0001.nii.gz");
        assertEquals(NiftiDataType.FLOAT32, NiftiHeaderPeek.of(dst).datatype());
        assertEquals(0 + 1000 * 0.37 + 0.1, NiftiIO.read(dst).get(0, 0, 0), 1e-2);
        python("""
                import sys, numpy as np, nibabel as nib
                src, dst = nib.load(sys.argv[1]), nib.load(sys.argv[2])
                assert src.header['scl_slope'] not in (0, 1), src.header['scl_slope']
                assert np.allclose(dst.get_fdata(), src.get_fdata()[..., 1], rtol=0, atol=1e-4)
                """, task.resolve("imagesTr/tiny_001.nii.gz").toString(), dst.toString());
    }

    @Test
    @DisplayName("a folder that is not TaskXX_NAME with imagesTr, labelsTr, imagesTs is rejected with every reason")
    void rejectsNonDecathlonFolder() throws IOException {
        Path bad = Files.createDirectories(tmp.resolve("Task4_Bad/imagesTr"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DecathlonConverter.convert(bad.getParent(), tmp.resolve("raw"), null, 1));
        assertTrue(e.getMessage().contains("Task4_Bad"), e.getMessage());
        assertTrue(e.getMessage().contains("2-digit id"), e.getMessage());
        assertTrue(e.getMessage().contains("labelsTr is missing"), e.getMessage());
        assertTrue(e.getMessage().contains("imagesTs is missing"), e.getMessage());
        assertTrue(e.getMessage().contains("dataset.json is missing"), e.getMessage());
    }
}
