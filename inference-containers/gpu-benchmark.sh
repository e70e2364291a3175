#!/usr/bin/env bash
# GPU figures for the sentence encoder, CPU and CUDA in one run. Run on a machine with an NVIDIA GPU, its driver,
# CUDA 12 and cuDNN 9 libraries on the loader path (the GPU image's base, nvidia/cuda:12.8.1-cudnn-runtime, has them),
# the .NET 10 SDK and access to the package source. From the repository root:
#   bash inference-containers/gpu-benchmark.sh [seconds-per-case=10]
# Prints CSV: provider, intra-op threads, batch (1, 32, 128), items/s, p50 and p99 of one session call in ms, calls.
# Then the server figures on that machine: dotnet run -c Release --project tests/ApartmentManager.Inference.LoadTest
# with Inference__ExecutionProvider=cuda (batching on vs off at 64 clients, server vs raw at batch 32).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
seconds="${1:-10}"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
cd "$root"
# -p:UseGpu=true: Microsoft.ML.OnnxRuntime.Gpu 1.31.0 (the version the GPU image serves) instead of the CPU package.
dotnet build -c Release tests/ApartmentManager.Inference.LoadTest/ApartmentManager.Inference.LoadTest.csproj -p:UseGpu=true -o "$out" -nologo -v q
command -v nvidia-smi > /dev/null && nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader || echo "nvidia-smi not found"
dotnet "$out/ApartmentManager.Inference.LoadTest.dll" encoder-providers "$seconds" cpu,cuda
