package org.nnunet.util;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyFormatTest {

    @TempDir
    Path dir;

    @Test
    @DisplayName("npy v1.0 header: '<f4', C order, shape tuple, data aligned to 64 bytes as numpy writes it")
    void headerMatchesNumpyLayout() throws IOException {
        Path f = dir.resolve("a.npy");
        NpyWriter.write(f, new int[] {2, 3, 4}, new float[24]);
        byte[] bytes = Files.readAllBytes(f);
        int headerLen = (bytes[8] & 0xff) | (bytes[9] & 0xff) << 8;
        assertEquals(0, (10 + headerLen) % 64);
        assertEquals(10 + headerLen + 24 * 4, bytes.length);
        String header = new String(bytes, 10, headerLen, StandardCharsets.US_ASCII);
        assertTrue(header.startsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3, 4), }"), header);
        assertTrue(header.endsWith("\n"));
        assertTrue(new String(NpyWriter.header(new int[] {5}), StandardCharsets.US_ASCII).contains("(5,)"));
    }

    @Test
    @DisplayName("npy round trip: parts are concatenated in C order, values and shape preserved")
    void roundTrip() throws IOException {
        Path f = dir.resolve("b.npy");
        float[] ch0 = {1.5f, -2f, 3f, Float.MIN_VALUE};
        float[] seg = {-1f, 0f, 1f, 2f};
        NpyWriter.write(f, new int[] {2, 1, 2, 2}, ch0, seg);
        NpyArray a = NpyReader.read(f);
        assertArrayEquals(new int[] {2, 1, 2, 2}, a.shape());
        assertArrayEquals(ch0, a.slice(0));
        assertArrayEquals(seg, a.slice(1));
    }

    @Test
    @DisplayName("npy: wrong value count and a non-npy file are rejected with the file name")
    void errors() throws IOException {
        Path f = dir.resolve("c.npy");
        assertThrows(IllegalArgumentException.class, () -> NpyWriter.write(f, new int[] {2, 2}, new float[3]));
        Files.writeString(f, "not numpy");
        IOException e = assertThrows(IOException.class, () -> NpyReader.read(f));
        assertTrue(e.getMessage().contains("c.npy"));
    }

    @Test
    @DisplayName("npy cross-check with numpy: numpy.load reads ours, we read numpy's float32 and int16")
    void crossCheckWithNumpy() throws Exception {
        String python = System.getProperty("nnunet.python", "/usr/bin/python3");
        assumeTrue(Files.isExecutable(Path.of(python)), "no python at " + python);
        Path ours = dir.resolve("ours.npy");
        NpyWriter.write(ours, new int[] {1, 2, 3}, new float[] {0, 1, 2, 3, 4, 5.25f});
        Path theirs = dir.resolve("theirs.npy");
        Path theirsInt = dir.resolve("theirs_i2.npy");
        String script = "import numpy as np,sys\n"
                + "a=np.load(sys.argv[1]); assert a.dtype==np.float32 and a.shape==(1,2,3), (a.dtype,a.shape)\n"
                + "print(float(a.sum()))\n"
                + "np.save(sys.argv[2], np.arange(24, dtype=np.float32).reshape(2,3,4)/4)\n"
                + "np.save(sys.argv[3], np.array([[-3, 7]], dtype=np.int16))\n";
        Process p = new ProcessBuilder(python, "-c", script, ours.toString(), theirs.toString(), theirsInt.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertEquals(0, p.waitFor(), out);
        assertEquals("15.25", out);
        NpyArray a = NpyReader.read(theirs);
        assertArrayEquals(new int[] {2, 3, 4}, a.shape());
        assertEquals(23 / 4f, a.data()[23]);
        NpyArray b = NpyReader.read(theirsInt);
        assertArrayEquals(new float[] {-3, 7}, b.data());
    }
}
