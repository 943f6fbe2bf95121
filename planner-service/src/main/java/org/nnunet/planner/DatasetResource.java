package org.nnunet.planner;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.logging.Logger;
import org.nnunet.service.ErrorBody;
import org.nnunet.storage.ObjectStore;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /v1/datasets/{task}}: a task as a zip ({@link DatasetUpload}); its files are stored under the raw prefix
 * and the same debounced flow as MinIO notifications cuts the new dataset version. Authentication is the shared
 * bearer-token filter on {@code /v1/*}; a refused upload (4xx, {@code {status, error, message}}) stores nothing and
 * starts no version.
 */
@Path("/v1/datasets")
public class DatasetResource {

    private static final Logger LOG = Logger.getLogger(DatasetResource.class);

    @Inject
    ObjectStore store;
    @Inject
    PlannerConfig config;
    @Inject
    PlannerService planner;

    @POST
    @Path("/{task}")
    @Consumes({"application/zip", MediaType.APPLICATION_OCTET_STREAM})
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Upload a Decathlon or nnU-Net raw task as a zip; starts a new dataset version")
    public Response upload(@PathParam("task") String task, InputStream zip) throws IOException {
        try {
            List<String> keys = new DatasetUpload(store, config).store(task, zip);
            planner.rawTaskChanged(task);
            LOG.infof("upload of %s: %d objects stored", task, keys.size());
            return Response.accepted(Map.of("task", task, "rawPrefix", config.rawPrefix() + task + "/",
                    "objects", keys.size())).build();
        } catch (DatasetUpload.Rejected e) {
            LOG.infof("upload of %s refused (%d): %s", task, e.status, e.getMessage());
            return error(e.status, e.getMessage());
        }
    }

    /** An {@link ErrorBody}, the shape of the auth filter's 401 and the upload limit's 413. */
    private static Response error(int status, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(ErrorBody.of(status, message))
                .build();
    }
}
