package org.nnunet.nifti;

import java.util.List;
import org.nnunet.image.Volume;

/** A NIfTI file as read: its header, and one {@link Volume} per 3D volume (4th dim = channel). */
public record NiftiImage(NiftiHeader header, List<Volume> volumes) {

    public NiftiImage {
        volumes = List.copyOf(volumes);
    }

    public NiftiDataType dataType() {
        return NiftiDataType.fromCode(header.datatypeCode()).orElseThrow();
    }
}
