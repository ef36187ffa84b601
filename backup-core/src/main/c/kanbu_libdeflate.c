/*
 * JNI binding of libdeflate's gzip compressor for io.kanbu.backup.core.pipeline.Libdeflate.
 *
 * Built by backup-core's Maven profile "native-gzip" where libdeflate's headers are installed
 * (Debian and Ubuntu: libdeflate-dev), linked against libdeflate.so.0, which must be there at run
 * time too (Debian and Ubuntu: libdeflate0). Each call compresses one whole block into one gzip
 * member; a compressor serves one thread at a time.
 */
#include <jni.h>
#include <stdint.h>
#include <libdeflate.h>

static struct libdeflate_compressor *compressor_of(jlong handle) {
  return (struct libdeflate_compressor *)(intptr_t)handle;
}

JNIEXPORT jstring JNICALL
Java_io_kanbu_backup_core_pipeline_Libdeflate_version(JNIEnv *env, jclass cls) {
  return (*env)->NewStringUTF(env, LIBDEFLATE_VERSION_STRING);
}

/* A compressor at level 1-12; 0 when out of memory. */
JNIEXPORT jlong JNICALL
Java_io_kanbu_backup_core_pipeline_Libdeflate_allocCompressor(JNIEnv *env, jclass cls,
                                                             jint level) {
  return (jlong)(intptr_t)libdeflate_alloc_compressor(level);
}

JNIEXPORT void JNICALL
Java_io_kanbu_backup_core_pipeline_Libdeflate_freeCompressor(JNIEnv *env, jclass cls,
                                                            jlong handle) {
  libdeflate_free_compressor(compressor_of(handle));
}

/* The most bytes a gzip member of length input bytes can take. */
JNIEXPORT jlong JNICALL
Java_io_kanbu_backup_core_pipeline_Libdeflate_gzipBound(JNIEnv *env, jclass cls, jlong handle,
                                                       jint length) {
  return (jlong)libdeflate_gzip_compress_bound(compressor_of(handle), (size_t)length);
}

/*
 * Compresses in[0, inLength) into one gzip member at out[0, ...); returns its length, 0 when it
 * does not fit in outCapacity bytes, -1 when the JVM could not pin the arrays (out of memory), -2
 * when a length is outside its array (nothing is read or written then). The arrays stay pinned
 * for one block's compression: milliseconds.
 */
JNIEXPORT jint JNICALL
Java_io_kanbu_backup_core_pipeline_Libdeflate_gzipCompress(JNIEnv *env, jclass cls, jlong handle,
                                                          jbyteArray in, jint inLength,
                                                          jbyteArray out, jint outCapacity) {
  if (inLength < 0 || inLength > (*env)->GetArrayLength(env, in) || outCapacity < 0 ||
      outCapacity > (*env)->GetArrayLength(env, out)) {
    return -2;
  }
  jbyte *src = (*env)->GetPrimitiveArrayCritical(env, in, NULL);
  if (src == NULL) {
    return -1;
  }
  jbyte *dst = (*env)->GetPrimitiveArrayCritical(env, out, NULL);
  if (dst == NULL) {
    (*env)->ReleasePrimitiveArrayCritical(env, in, src, JNI_ABORT);
    return -1;
  }
  size_t written = libdeflate_gzip_compress(compressor_of(handle), src, (size_t)inLength, dst,
                                            (size_t)outCapacity);
  (*env)->ReleasePrimitiveArrayCritical(env, out, dst, 0);
  (*env)->ReleasePrimitiveArrayCritical(env, in, src, JNI_ABORT);
  return (jint)written;
}
