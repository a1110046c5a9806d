"""Matrix-form backprop: expression trees, the per-edge adjoint rules and dimension-analysis sentences."""
