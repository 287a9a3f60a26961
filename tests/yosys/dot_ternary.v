// The PE column the model costs for 2/ternary when products are not folded into the adders and
// adders are 2:1 (the variant yosys can express): N conditional invert/zero products of A-bit
// activations (P = A + 1 bits; a negative weight gives ~a, its +1 goes to the bias), summed by a
// binary tree whose level-l adders are P + l bits wide.
module dot_ternary #(parameter N = 32, parameter A = 2) (
    input  [N*A-1:0] a,
    input  [N-1:0]   neg,
    input  [N-1:0]   nz,
    output [A+$clog2(N):0] s
);
    localparam P = A + 1;
    localparam L = $clog2(N);
    // Heap layout: node i has children 2i and 2i + 1; leaves are N .. 2N - 1.
    wire [(2*N)*(P+L)-1:0] node;
    genvar i;
    generate
        for (i = 0; i < N; i = i + 1) begin : product
            wire [P-1:0] x = {1'b0, a[i*A +: A]};
            wire [P-1:0] p = nz[i] ? (neg[i] ? ~x : x) : {P{1'b0}};
            assign node[(N+i)*(P+L) +: P+L] = {{L{p[P-1]}}, p};
        end
        for (i = N - 1; i >= 1; i = i - 1) begin : tree
            localparam integer LV = L - $clog2(i + 1) + 1; // 1 for the level above the leaves
            wire [P+LV-1:0] sum;
            add_signed #(.W(P + LV)) u (.x(node[(2*i)*(P+L) +: P+LV-1]),
                                        .y(node[(2*i+1)*(P+L) +: P+LV-1]), .s(sum));
            assign node[i*(P+L) +: P+L] = {{(L-LV){sum[P+LV-1]}}, sum};
        end
    endgenerate
    assign s = node[(P+L)*1 +: P+L];
endmodule
