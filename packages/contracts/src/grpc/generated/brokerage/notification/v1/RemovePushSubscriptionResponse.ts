// Original file: proto/notification.proto


export interface RemovePushSubscriptionResponse {
}

export interface RemovePushSubscriptionResponse__Output {
}
