package org.nnunet.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
import org.nnunet.dataset.DatasetJson;
import org.nnunet.image.Volume;
import org.nnunet.nifti.NiftiIO;
import picocli.CommandLine;

/** nnUNet_convert_decathlon_task on the real Decathlon Task04_Hippocampus, run in-process through picocli. */
class ConvertDecathlonTaskCommandTest {

    @TempDir
    static Path base;
    static Path hippocampus;
    static Run conversion;

    record Run(int exitCode, String out, String err) {}

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = NnUNet.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int rc = NnUNet.execute(cl, args);
        return new Run(rc, out.toString(), err.toString());
    }

    @BeforeAll
    static void convertHippocampus() {
        hippocampus = Path.of(System.getProperty("nnunet.shared.dir", "../shared"), "data", "Task04_Hippocampus");
        assumeTrue(Files.isDirectory(hippocampus), "shared data not found at " + hippocampus);
        conversion = run("convert_decathlon_task", "-i", hippocampus.toString(), "-p", "2",
                "--nnUNet_raw_data_base", base.toString());
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    @DisplayName("Task04_Hippocampus -> Task004_Hippocampus: 208+52 images with _0000, 208 labels, numTraining 208")
    void convertsHippocampus() throws IOException {
        assertEquals(0, conversion.exitCode(), conversion.err());
        Path out = base.resolve("nnUNet_raw_data/Task004_Hippocampus");
        assertTrue(conversion.out().contains(out.toString()), conversion.out());
        assertTrue(conversion.out().contains("208 training, 52 test"), conversion.out());
        assertTrue(conversion.out().contains("{0=MRI}"), conversion.out());
        List<String> imagesTr = names(out.resolve("imagesTr"));
        List<String> imagesTs = names(out.resolve("imagesTs"));
        assertEquals(208, imagesTr.size());
        assertEquals(52, imagesTs.size());
        assertTrue(Stream.concat(imagesTr.stream(), imagesTs.stream()).allMatch(n -> n.endsWith("_0000.nii.gz")));
        assertEquals(208, names(out.resolve("labelsTr")).size());
        DatasetJson json = DatasetJson.read(out.resolve("dataset.json"));
        assertEquals(208, json.numTraining());
        assertEquals(52, json.numTest());
        assertEquals("./imagesTr/hippocampus_001.nii.gz", json.training().get(0).image());
    }

    @Test
    @DisplayName("a converted 3D image has the source voxels and geometry (v1 copies 3D files unchanged)")
    void convertedImageEqualsSource() throws IOException {
        Path src = hippocampus.resolve("imagesTr/hippocampus_001.nii.gz");
        Path dst = base.resolve("nnUNet_raw_data/Task004_Hippocampus/imagesTr/hippocampus_001_0000.nii.gz");
        assertArrayEquals(Files.readAllBytes(src), Files.readAllBytes(dst));
        Volume a = NiftiIO.read(src);
        Volume b = NiftiIO.read(dst);
        assertArrayEquals(new int[] {35, 51, 35}, b.shape());
        assertEquals(a.geometry(), b.geometry());
        assertArrayEquals(a.data(), b.data());
    }

    @Test
    @DisplayName("verify_dataset_integrity passes on the converted Hippocampus task (id 4 resolved)")
    void integrityOfConvertedTask() {
        Run r = run("verify_dataset_integrity", "-t", "4", "-p", "2", "--nnUNet_raw_data_base", base.toString());
        assertEquals(0, r.exitCode(), r.err() + r.out());
        assertTrue(r.out().contains("208 training and 52 test cases checked, 0 error(s)"), r.out());
    }

    @Test
    @DisplayName("verify_dataset_integrity exits 1 and names the case when a label is missing")
    void integrityFailure() throws IOException {
        Run c = run("convert_decathlon_task", "-i", hippocampus.toString(), "-p", "2", "-output_task_id", "904",
                "--nnUNet_raw_data_base", base.toString());
        assertEquals(0, c.exitCode(), c.err());
        Files.delete(base.resolve("nnUNet_raw_data/Task904_Hippocampus/labelsTr/hippocampus_003.nii.gz"));
        Run r = run("verify_dataset_integrity", "-t", "Task904_Hippocampus", "--nnUNet_raw_data_base",
                base.toString());
        assertEquals(1, r.exitCode());
        assertTrue(r.err().contains("training case hippocampus_003: could not find label file"), r.err());
    }

    @Test
    @DisplayName("-h prints usage and exits 0; a v1 command not built yet says so and exits 2")
    void helpAndUnknownCommand() {
        Run help = run("convert_decathlon_task", "-h");
        assertEquals(0, help.exitCode());
        assertTrue(help.out().contains("-output_task_id"), help.out());
        Run download = run("download_pretrained_model", "Task004_Hippocampus");
        assertEquals(2, download.exitCode());
        assertTrue(download.err().contains("nnUNet_download_pretrained_model is not available in this build yet"),
                download.err());
        Run missingInput = run("convert_decathlon_task", "-i", base.resolve("Task09_Nothing").toString(),
                "--nnUNet_raw_data_base", base.toString());
        assertEquals(1, missingInput.exitCode());
        assertTrue(missingInput.err().contains("Task09_Nothing does not look like a Decathlon task folder"),
                missingInput.err());
    }
}
