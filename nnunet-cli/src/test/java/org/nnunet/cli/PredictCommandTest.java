package org.nnunet.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nnunet.evaluation.LabelVolume;
import org.nnunet.image.ImageGeometry;
import org.nnunet.image.Volume;
import org.nnunet.inference.ModelPredictor;
import org.nnunet.inference.SoftmaxFiles;
import org.nnunet.inference.SoftmaxVolume;
import org.nnunet.nifti.NiftiDataType;
import org.nnunet.nifti.NiftiIO;
import picocli.CommandLine;

/**
 * nnUNet_predict (v1 predict_simple) with a tiny model: the generated Task09_Tiny is converted, planned (3D only),
 * and fold 0 of 3d_fullres trained for 1 epoch x 2 iterations in the setup.
 */
class PredictCommandTest {

    @TempDir
    static Path dir;
    static String[] pathFlags;

    record Run(int exitCode, String out, String err) {}

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = NnUNet.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        String[] all = Stream.concat(Stream.of(args), Stream.of(pathFlags)).toArray(String[]::new);
        int rc = NnUNet.execute(cl, all);
        return new Run(rc, out.toString(), err.toString());
    }

    @BeforeAll
    static void trainTinyModel() throws IOException {
        pathFlags = new String[] {"--nnUNet_raw_data_base", dir.resolve("raw").toString(),
                "--nnUNet_preprocessed", dir.resolve("pre").toString(), "--RESULTS_FOLDER", dir.resolve("res").toString()};
        Path decathlon = TinyDecathlonTask.write(dir.resolve("in"), 5, 2);
        StringWriter out = new StringWriter();
        CommandLine cl = NnUNet.commandLine();
        cl.setOut(new PrintWriter(out, true));
        assertEquals(0, NnUNet.execute(cl, "convert_decathlon_task", "-i", decathlon.toString(),
                "--nnUNet_raw_data_base", dir.resolve("raw").toString()));
        Run plan = run("plan_and_preprocess", "-t", "9", "-pl2d", "None", "-tl", "1", "-tf", "2");
        assertEquals(0, plan.exitCode(), plan.err());
        Run train = run("train", "3d_fullres", "nnUNetTrainerV2", "9", "0", "--epochs", "1", "--iterations", "2",
                "--val_iterations", "1");
        assertEquals(0, train.exitCode(), train.err());
    }

    private static Path imagesTs() {
        return dir.resolve("raw/nnUNet_raw_data/Task009_Tiny/imagesTs");
    }

    private static long filesIn(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return 0;
        }
        try (Stream<Path> s = Files.list(folder)) {
            return s.count();
        }
    }

    @Test
    @DisplayName("predict_simple: folds found are printed; output has the input's exact geometry and labels in {0,1,2};"
            + " --save_npz writes a float16 softmax [3, z, y, x] at the cropped size")
    void predictsWithInputGeometry() throws IOException {
        Path out = dir.resolve("pred");
        Run r = run("predict", "-i", imagesTs().toString(), "-o", out.toString(), "-t", "Task009_Tiny", "-m",
                "3d_fullres", "--save_npz", "--disable_tta");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("using folds [0]"), r.out());
        assertTrue(r.out().contains("WARNING: no postprocessing"), r.out());
        for (String id : new String[] {"tiny_005", "tiny_006"}) {
            Volume in = NiftiIO.read(imagesTs().resolve(id + "_0000.nii.gz"));
            Volume p = NiftiIO.read(out.resolve(id + ".nii.gz"));
            assertArrayEquals(in.shape(), p.shape());
            assertArrayEquals(in.geometry().itkSpacing(), p.geometry().itkSpacing(), 1e-6);
            assertArrayEquals(in.geometry().itkOrigin(), p.geometry().itkOrigin(), 1e-6);
            assertArrayEquals(in.geometry().itkDirection(), p.geometry().itkDirection(), 1e-6);
            for (float v : p.data()) {
                assertTrue(v == 0 || v == 1 || v == 2, "label " + v);
            }
            SoftmaxVolume sm = SoftmaxFiles.read(out.resolve(id + ".npz"));
            assertEquals(3, sm.numClasses());
            // cropped to the nonzero box: the 2-voxel zero border is gone
            assertArrayEquals(new int[] {16, 20, 24}, sm.shape());
            assertTrue(Files.isRegularFile(out.resolve(id + ".json")));
        }
    }

    @Test
    @DisplayName("with TTA (8 mirrorings) the same folder predicts the same shapes; -f 0 selects fold 0")
    void predictsWithTta() throws IOException {
        Path out = dir.resolve("pred_tta");
        Run r = run("predict", "-i", imagesTs().toString(), "-o", out.toString(), "-t", "9", "-m", "3d_fullres",
                "-f", "0");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(2, filesIn(out));
    }

    @Test
    @DisplayName("predict_cases has one path: a case read from files (nnUNet_predict) and the same case as in-memory"
            + " volumes (the inference service) give the same segmentation and softmax")
    void filesAndInMemoryVolumesAgree() throws IOException {
        Path out = dir.resolve("pred_files");
        Run r = run("predict", "-i", imagesTs().toString(), "-o", out.toString(), "-t", "9", "-m", "3d_fullres",
                "--disable_tta", "--save_npz");
        assertEquals(0, r.exitCode(), r.err());
        Path modelFolder = dir.resolve("res/nnUNet/3d_fullres/Task009_Tiny/nnUNetTrainerV2__nnUNetPlansv2.1");
        ModelPredictor.Options options = new ModelPredictor.Options(List.of(0), "model_final_checkpoint", 0.5, false,
                true, true);
        try (ModelPredictor p = ModelPredictor.fromModelFolder(dir.resolve("pre/Task009_Tiny"), "3d_fullres",
                modelFolder, options, line -> { })) {
            assertEquals(List.of(0), p.folds());
            for (String id : new String[] {"tiny_005", "tiny_006"}) {
                Volume image = NiftiIO.read(imagesTs().resolve(id + "_0000.nii.gz"));
                Path memory = dir.resolve("pred_memory/" + id + ".nii.gz");
                LabelVolume inMemory = p.predict(id, List.of(image), memory);
                Volume fromFiles = NiftiIO.read(out.resolve(id + ".nii.gz"));
                assertArrayEquals(fromFiles.shape(), inMemory.shape());
                for (int i = 0; i < inMemory.labels().length; i++) {
                    assertEquals(fromFiles.data()[i], inMemory.labels()[i], id + " voxel " + i);
                }
                // the softmax too, which varies voxel by voxel even where a weak model predicts background only
                SoftmaxVolume a = SoftmaxFiles.read(out.resolve(id + ".npz"));
                SoftmaxVolume b = SoftmaxFiles.read(memory.resolveSibling(id + ".npz"));
                assertArrayEquals(a.data(), b.data(), 0f, id + " softmax");
            }
        }
    }

    @Test
    @DisplayName("a case missing modality 0000 fails before any compute, naming the missing file")
    void missingModalityFailsFirst() throws IOException {
        Path in = dir.resolve("bad_missing");
        Files.createDirectories(in);
        Files.copy(imagesTs().resolve("tiny_005_0000.nii.gz"), in.resolve("tiny_005_0000.nii.gz"));
        Files.copy(imagesTs().resolve("tiny_006_0000.nii.gz"), in.resolve("tiny_006_0001.nii.gz"));
        Path out = dir.resolve("pred_bad_missing");
        Run r = run("predict", "-i", in.toString(), "-o", out.toString(), "-t", "9", "-m", "3d_fullres");
        assertEquals(1, r.exitCode());
        assertTrue(r.err().contains(in.resolve("tiny_006_0000.nii.gz") + ": missing"), r.err());
        assertTrue(r.err().contains("tiny_006_0001.nii.gz: modality 1, but the model has 1"), r.err());
        assertEquals(0, filesIn(out), "nothing predicted");
    }

    @Test
    @DisplayName("non-NIfTI files and modalities of a case with different geometry fail before compute, naming files")
    void badFilesAndGeometryFailFirst() throws IOException {
        Path in = dir.resolve("bad_files");
        Files.createDirectories(in);
        Files.writeString(in.resolve("notes.txt"), "hello");
        Files.copy(imagesTs().resolve("tiny_005_0000.nii.gz"), in.resolve("tiny_005_0000.nii.gz"));
        Run r = run("predict", "-i", in.toString(), "-o", dir.resolve("pred_bad_files").toString(), "-t", "9");
        assertEquals(1, r.exitCode());
        assertTrue(r.err().contains(in.resolve("notes.txt") + ": not a CASE_XXXX.nii.gz file"), r.err());
        assertEquals(0, filesIn(dir.resolve("pred_bad_files")));

        // two modalities of one case on different grids (geometry checked against the first modality)
        Path two = dir.resolve("bad_geometry");
        Files.createDirectories(two);
        Volume v = NiftiIO.read(imagesTs().resolve("tiny_005_0000.nii.gz"));
        NiftiIO.write(v, NiftiDataType.FLOAT32, two.resolve("c_0000.nii.gz"));
        ImageGeometry shifted = new ImageGeometry(v.geometry().itkSpacing(), new double[] {0, 0, 0},
                v.geometry().itkDirection());
        NiftiIO.write(new Volume(v.shape(), v.data(), shifted), NiftiDataType.FLOAT32, two.resolve("c_0001.nii.gz"));
        Path problems = two.resolve("c_0001.nii.gz");
        String err = org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
                () -> org.nnunet.inference.PredictionInputFolder.check(two, 2)).getMessage();
        assertTrue(err.contains("geometry (spacing, origin, direction) of " + problems + " does not match"), err);
        assertFalse(err.contains("missing"), err);
    }
}
