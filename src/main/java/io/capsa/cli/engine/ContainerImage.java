package io.capsa.cli.engine;

import io.capsa.image.Digest;
import io.capsa.image.ImageException;
import io.capsa.image.ImageInfo;
import io.capsa.image.Images;
import io.capsa.image.Platform;
import io.capsa.image.PullOptions;
import io.capsa.image.reference.Reference;
import io.capsa.image.registry.ProgressListener;
import io.capsa.image.store.ImageRecord;

/**
 * The image a run or create names, pulled first when the data root lacks it, as Docker does ("Unable to find
 * image 'x:latest' locally", then the pull's progress, on stderr: stdout is the container's).
 */
record ContainerImage(ImageRecord record, ImageInfo info, Digest id) {
    static ContainerImage find(Globals globals, String text) {
        LocalImages local = new LocalImages(globals);
        ImageRecord record;
        try {
            record = local.find(text);
        } catch (ImageException e) {
            if (!e.getMessage().startsWith("No such image")) throw e;
            Reference ref = Reference.parse(text);
            System.err.println("Unable to find image '" + LocalImages.familiar(ref.toString()) + "' locally");
            try (Images images = globals.images(globals.registryOptions(ref.domain(), true))) {
                images.pull(text, new PullOptions(Platform.host(), ProgressListener.NONE));
            }
            local = new LocalImages(globals);
            record = local.find(text);
        }
        return new ContainerImage(record, local.info(record), local.id(record));
    }
}
