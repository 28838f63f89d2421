// What nmt needs from libtorch that DJL 0.35.0's JNI does not offer: torch.set_float32_matmul_precision
// (TF32 or bf16 inside float32 matrix products on GPUs that have them). app/scripts/local-torch.sh
// compiles it against the same torch as libdjl_torch.so; nmt.engine.MatmulPrecision loads it.
#include <jni.h>

#include <ATen/Context.h>

#include <exception>
#include <string>

extern "C" JNIEXPORT void JNICALL Java_nmt_engine_MatmulPrecision_setNative(JNIEnv* env, jclass, jstring value) {
  const char* chars = env->GetStringUTFChars(value, nullptr);
  std::string precision(chars);
  env->ReleaseStringUTFChars(value, chars);
  try {
    at::globalContext().setFloat32MatmulPrecision(precision);
  } catch (const std::exception& e) {
    env->ThrowNew(env->FindClass("java/lang/IllegalArgumentException"), e.what());
  }
}

extern "C" JNIEXPORT jstring JNICALL Java_nmt_engine_MatmulPrecision_getNative(JNIEnv* env, jclass) {
  try {
    switch (at::globalContext().float32MatmulPrecision()) {
      case at::Float32MatmulPrecision::HIGH:
        return env->NewStringUTF("high");
      case at::Float32MatmulPrecision::MEDIUM:
        return env->NewStringUTF("medium");
      default:
        return env->NewStringUTF("highest");
    }
  } catch (const std::exception& e) {
    env->ThrowNew(env->FindClass("java/lang/IllegalStateException"), e.what());
    return nullptr;
  }
}
