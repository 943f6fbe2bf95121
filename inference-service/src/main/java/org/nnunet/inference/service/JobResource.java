package org.nnunet.inference.service;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Status of the batch jobs submitted with {@code POST /v1/tasks/{task}/jobs}. */
@Path("/v1/jobs")
@Produces(MediaType.APPLICATION_JSON)
public class JobResource {

    private final BatchJobs jobs;

    public JobResource(BatchJobs jobs) {
        this.jobs = jobs;
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "Status of a batch job")
    public BatchJobs.Job get(@PathParam("id") String id) {
        return jobs.get(id);
    }
}
