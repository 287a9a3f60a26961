// The soft multiplier the model costs for one A x W product (c_vec 1): W partial-product rows
// (AND of the unsigned activation with one weight bit, A + 1 bits; the weight's sign row
// inverted, its +1 as a carry in), shifted and summed by a binary tree of full-width adders
// (A + 1 + W bits), as the model conservatively sizes them. W must be a power of two.
module soft_multiplier #(parameter A = 8, parameter W = 8) (
    input         [A-1:0] a,
    input  signed [W-1:0] w,
    output        [A+W:0] p
);
    localparam B = A + 1 + W;
    wire [(2*W)*B-1:0] node;
    genvar i;
    generate
        for (i = 0; i < W; i = i + 1) begin : row
            wire [A:0] r = {1'b0, a & {A{w[i]}}};
            wire [A:0] v = (i == W - 1) ? ~r : r;
            wire [B-1:0] ext = {{(B-A-1){v[A]}}, v};
            assign node[(W+i)*B +: B] = ext << i;
        end
        for (i = W - 1; i >= 1; i = i - 1) begin : tree
            add_full #(.W(B)) u (.x(node[(2*i)*B +: B]), .y(node[(2*i+1)*B +: B]),
                                 .ci(i == 1 ? 1'b1 : 1'b0), .s(node[i*B +: B]));
        end
    endgenerate
    assign p = node[B +: A+W+1];
endmodule
