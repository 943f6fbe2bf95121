package org.nnunet.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nnunet.nifti.NiftiDataType;

/** The header-only look the Decathlon converter takes, on files nibabel writes in each layout. */
class NiftiHeaderPeekTest {

    @TempDir
    Path tmp;

    @Test
    @DisplayName("NIfTI-2 4D, big-endian NIfTI-1 3D and uncompressed .nii: dimensions, volumes and datatype")
    void layouts() throws Exception {
        String python = System.getProperty("nnunet.python", "/usr/bin/python3");
        Process p = new ProcessBuilder(python, "-c", """
                import sys, numpy as np, nibabel as nib
                d = sys.argv[1]
                nib.save(nib.Nifti2Image(np.zeros((3, 4, 5, 3), np.float32), np.eye(4)), d + '/n2.nii.gz')
                be = nib.Nifti1Header(endianness='>')
                be.set_data_dtype(np.int16)
                nib.save(nib.Nifti1Image(np.zeros((3, 4, 5), np.int16), np.eye(4), header=be), d + '/be.nii.gz')
                nib.save(nib.Nifti1Image(np.zeros((3, 4, 5, 2), np.uint8), np.eye(4)), d + '/raw.nii')
                """, tmp.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);

        assertEquals(new NiftiHeaderPeek(4, 3, NiftiDataType.FLOAT32), NiftiHeaderPeek.of(tmp.resolve("n2.nii.gz")));
        assertEquals(new NiftiHeaderPeek(3, 1, NiftiDataType.INT16), NiftiHeaderPeek.of(tmp.resolve("be.nii.gz")));
        assertEquals(new NiftiHeaderPeek(4, 2, NiftiDataType.UINT8), NiftiHeaderPeek.of(tmp.resolve("raw.nii")));
    }

    @Test
    @DisplayName("a file that is not NIfTI is an error naming it")
    void notNifti() throws IOException {
        Path f = Files.write(tmp.resolve("x.nii.gz"), new byte[400]);
        IOException e = assertThrows(IOException.class, () -> NiftiHeaderPeek.of(f));
        assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains("sizeof_hdr"), e.getMessage());
    }
}
