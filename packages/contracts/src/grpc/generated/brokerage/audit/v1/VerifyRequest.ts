// Original file: proto/audit.proto


export interface VerifyRequest {
}

export interface VerifyRequest__Output {
}
