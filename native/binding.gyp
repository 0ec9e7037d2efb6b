{
  "targets": [
    {
      "target_name": "nashboard_native",
      "sources": ["src/addon.cc", "src/gemm.cc", "src/elementwise.cc", "src/normal.cc", "src/thread_pool.cc"],
      "cflags_cc": ["-O3", "-std=c++17", "-fno-exceptions", "-ffp-contract=off", "-fno-math-errno", "-pthread"],
      "cflags_cc!": ["-fno-rtti"],
      "ldflags": ["-pthread"],
      "libraries": ["-ldl"],
      "defines": ["NAPI_VERSION=8"]
    }
  ]
}
