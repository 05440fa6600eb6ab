// Original file: proto/processor.proto


export interface ListMarketsRequest {
}

export interface ListMarketsRequest__Output {
}
